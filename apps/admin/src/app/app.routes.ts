import type { Routes } from '@angular/router';
import { signedIn } from './core/auth.guard';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./login/login').then((m) => m.Login) },
  { path: 'password', loadComponent: () => import('./login/change-password').then((m) => m.ChangePassword) },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [{ path: '', loadComponent: () => import('./dashboard/dashboard').then((m) => m.Dashboard) }],
  },
  { path: '**', redirectTo: '' },
];
