import type { Routes } from '@angular/router';
import { MY_DATA_ROUTES } from './my-data/my-data.routes';
import { MY_PROBLEM_ROUTES } from './problems/my-problems.routes';
import { MY_TRAINING_ROUTES } from './training/my-training.routes';

/**
 * The members' portal at /me (every signed-in level, members mostly): its own shell and
 * navigation, phone first. Paths are relative to /me.
 */
export const ME_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./me-shell').then((m) => m.MeShell),
    children: [
      ...MY_DATA_ROUTES,
      ...MY_PROBLEM_ROUTES,
      ...MY_TRAINING_ROUTES,
      { path: 'profile', loadComponent: () => import('./profile/me-profile').then((m) => m.MeProfile) },
    ],
  },
];
