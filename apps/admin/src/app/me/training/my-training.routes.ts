import type { Routes } from '@angular/router';

/**
 * The members' portal pages of trainings (issue 15), wired into the members' shell by the lead:
 * `training` (ask for training, one's requests) and `training-queue` (a trainer's queue, sessions,
 * outcomes and supervised first uses: the same page as the staff's `/training`).
 */
export const MY_TRAINING_ROUTES: Routes = [
  { path: 'training', loadComponent: () => import('./my-training').then((m) => m.MyTraining) },
  {
    path: 'training-queue',
    loadComponent: () => import('../../training/training').then((m) => m.Training),
  },
];
