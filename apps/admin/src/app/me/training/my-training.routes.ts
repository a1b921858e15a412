import type { Routes } from '@angular/router';

/**
 * The members' portal pages of trainings (issue 15), children of the members' shell at /me:
 * `training` (ask for training, one's requests), `training-queue` (a trainer's queue, sessions,
 * outcomes and supervised first uses: the same page as the staff's `/training`) and `trainees` (the
 * authorizations a trainer manages).
 */
export const MY_TRAINING_ROUTES: Routes = [
  { path: 'training', loadComponent: () => import('./my-training').then((m) => m.MyTraining) },
  {
    path: 'training-queue',
    loadComponent: () => import('../../training/training').then((m) => m.Training),
  },
  { path: 'trainees', loadComponent: () => import('./trainees').then((m) => m.MyTrainees) },
];
