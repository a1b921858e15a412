import type { Routes } from '@angular/router';
import { signedIn } from './core/auth.guard';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./login/login').then((m) => m.Login) },
  {
    path: 'forgot-password',
    loadComponent: () => import('./login/forgot-password').then((m) => m.ForgotPassword),
  },
  {
    path: 'reset-password',
    loadComponent: () => import('./login/reset-password').then((m) => m.ResetPassword),
  },
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
      { path: 'roles', loadComponent: () => import('./roles/roles').then((m) => m.Roles) },
      { path: 'roles/new', loadComponent: () => import('./roles/role-form').then((m) => m.RoleForm) },
      { path: 'roles/:id', loadComponent: () => import('./roles/role-form').then((m) => m.RoleForm) },
      { path: 'machines', loadComponent: () => import('./machines/machines').then((m) => m.Machines) },
      {
        path: 'machines/new',
        loadComponent: () => import('./machines/machine-form').then((m) => m.MachineForm),
      },
      {
        path: 'machines/:id',
        loadComponent: () => import('./machines/machine-detail').then((m) => m.MachineDetail),
      },
      {
        path: 'machines/:id/edit',
        loadComponent: () => import('./machines/machine-form').then((m) => m.MachineForm),
      },
      {
        path: 'machine-types',
        loadComponent: () => import('./machine-types/machine-types').then((m) => m.MachineTypes),
      },
      {
        path: 'machine-types/new',
        loadComponent: () => import('./machine-types/machine-type-form').then((m) => m.MachineTypeForm),
      },
      {
        path: 'machine-types/:id',
        loadComponent: () => import('./machine-types/machine-type-form').then((m) => m.MachineTypeForm),
      },
      {
        path: 'maintenance',
        loadComponent: () => import('./maintenance/maintenance-plans').then((m) => m.MaintenancePlans),
      },
      {
        path: 'maintenance/plans/new',
        loadComponent: () => import('./maintenance/plan-form').then((m) => m.PlanForm),
      },
      {
        path: 'maintenance/plans/:id',
        loadComponent: () => import('./maintenance/plan-form').then((m) => m.PlanForm),
      },
      {
        path: 'maintenance/interventions',
        loadComponent: () => import('./maintenance/interventions').then((m) => m.Interventions),
      },
      {
        path: 'maintenance/interventions/new',
        loadComponent: () => import('./maintenance/intervention-form').then((m) => m.InterventionForm),
      },
      { path: 'boards', loadComponent: () => import('./boards/boards').then((m) => m.Boards) },
      {
        path: 'authorizations',
        loadComponent: () => import('./authorizations/authorizations').then((m) => m.Authorizations),
      },
      { path: 'usage', loadComponent: () => import('./usage/usage').then((m) => m.Usage) },
      {
        path: 'access-events',
        loadComponent: () => import('./access-events/access-events').then((m) => m.AccessEvents),
      },
      { path: 'reports', loadComponent: () => import('./reports/reports').then((m) => m.Reports) },
      { path: 'audit', loadComponent: () => import('./audit/audit').then((m) => m.Audit) },
      { path: 'system', loadComponent: () => import('./system/system').then((m) => m.System) },
      { path: 'profile', loadComponent: () => import('./profile/profile').then((m) => m.Profile) },
    ],
  },
  { path: '**', redirectTo: '' },
];
