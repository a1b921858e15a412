import type { Routes } from '@angular/router';
import { signedIn } from './core/auth.guard';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./login/login').then((m) => m.Login) },
  { path: 'password', loadComponent: () => import('./login/change-password').then((m) => m.ChangePassword) },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', loadComponent: () => import('./dashboard/dashboard').then((m) => m.Dashboard) },
      { path: 'members', loadComponent: () => import('./members/members').then((m) => m.Members) },
      { path: 'members/new', loadComponent: () => import('./members/member-form').then((m) => m.MemberForm) },
      { path: 'members/:id', loadComponent: () => import('./members/member-form').then((m) => m.MemberForm) },
    ],
  },
  { path: '**', redirectTo: '' },
];
