import type { Routes } from '@angular/router';

/**
 * The members' portal pages of issue 15 (training and certification), wired into the members'
 * portal shell by the lead. One route per line: other helpers add theirs here.
 */
export const MY_TRAINING_ROUTES: Routes = [
  { path: 'trainees', loadComponent: () => import('./trainees').then((m) => m.MyTrainees) },
];
