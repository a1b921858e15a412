import type { Routes } from '@angular/router';

/** The member's own pages, children of the members' portal shell at `/me`. */
export const MY_DATA_ROUTES: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./my-home').then((m) => m.MyHome) },
  { path: 'sessions', loadComponent: () => import('./my-sessions').then((m) => m.MySessions) },
  { path: 'refused', loadComponent: () => import('./my-refused').then((m) => m.MyRefused) },
  { path: 'data', loadComponent: () => import('./my-downloads').then((m) => m.MyDownloads) },
];
