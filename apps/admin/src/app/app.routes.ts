import type { Routes } from '@angular/router';
import { needsLevel, signedIn, staffOnly } from './core/auth.guard';

const staff = needsLevel('read-only');
const manager = needsLevel('manager');
const admin = needsLevel('admin');

export const routes: Routes = [
  {
    path: 'login/link',
    loadComponent: () => import('./login/login-link').then((m) => m.LoginLink),
  },
  // The lab's TV (issue 14): outside the staff shell and its login guard, opened with a kiosk token.
  { path: 'kiosk', loadComponent: () => import('./kiosk/kiosk').then((m) => m.Kiosk) },
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
  // The members' portal: every signed-in level (staff may look at their own pages too).
  {
    path: 'me',
    canActivate: [signedIn],
    loadChildren: () => import('./me/me.routes').then((m) => m.ME_ROUTES),
  },
  {
    path: '',
    // The staff portal: a member is sent to /me.
    canActivate: [signedIn, staffOnly],
    // Detail pages stay open to read-only users (they read, Save is disabled); a page for making
    // or changing something, or an admin page, needs the level the API asks for it.
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', loadComponent: () => import('./dashboard/dashboard').then((m) => m.Dashboard) },
      { path: 'members', loadComponent: () => import('./members/members').then((m) => m.Members) },
      {
        path: 'members/new',
        canActivate: [manager],
        loadComponent: () => import('./members/member-form').then((m) => m.MemberForm),
      },
      {
        path: 'members/import',
        canActivate: [manager],
        loadComponent: () => import('./members/members-import').then((m) => m.MembersImport),
      },
      { path: 'members/:id', loadComponent: () => import('./members/member-form').then((m) => m.MemberForm) },
      { path: 'roles', loadComponent: () => import('./roles/roles').then((m) => m.Roles) },
      {
        path: 'roles/new',
        canActivate: [admin],
        loadComponent: () => import('./roles/role-form').then((m) => m.RoleForm),
      },
      { path: 'roles/:id', loadComponent: () => import('./roles/role-form').then((m) => m.RoleForm) },
      { path: 'machines', loadComponent: () => import('./machines/machines').then((m) => m.Machines) },
      {
        path: 'machines/new',
        canActivate: [manager],
        loadComponent: () => import('./machines/machine-form').then((m) => m.MachineForm),
      },
      {
        path: 'machines/:id',
        loadComponent: () => import('./machines/machine-detail').then((m) => m.MachineDetail),
      },
      {
        path: 'machines/:id/edit',
        canActivate: [manager],
        loadComponent: () => import('./machines/machine-form').then((m) => m.MachineForm),
      },
      {
        path: 'machine-types',
        loadComponent: () => import('./machine-types/machine-types').then((m) => m.MachineTypes),
      },
      {
        path: 'machine-types/new',
        canActivate: [manager],
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
        canActivate: [manager],
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
        canActivate: [manager],
        loadComponent: () => import('./maintenance/intervention-form').then((m) => m.InterventionForm),
      },
      { path: 'boards', loadComponent: () => import('./boards/boards').then((m) => m.Boards) },
      {
        path: 'authorizations',
        loadComponent: () => import('./authorizations/authorizations').then((m) => m.Authorizations),
      },
      { path: 'usage', loadComponent: () => import('./usage/usage').then((m) => m.Usage) },
      // Trainers of a type reach it with any portal level (their types only); staff see every type.
      { path: 'training', loadComponent: () => import('./training/training').then((m) => m.Training) },
      {
        path: 'access-events',
        loadComponent: () => import('./access-events/access-events').then((m) => m.AccessEvents),
      },
      {
        path: 'problems',
        canActivate: [staff],
        loadComponent: () => import('./problems/problems').then((m) => m.Problems),
      },
      {
        path: 'problems/:id',
        canActivate: [staff],
        loadComponent: () => import('./problems/problem-detail').then((m) => m.ProblemDetail),
      },
      { path: 'reports', loadComponent: () => import('./reports/reports').then((m) => m.Reports) },
      {
        path: 'audit',
        canActivate: [admin],
        loadComponent: () => import('./audit/audit').then((m) => m.Audit),
      },
      {
        path: 'system',
        canActivate: [admin],
        loadComponent: () => import('./system/system').then((m) => m.System),
      },
      {
        path: 'system/kiosks',
        canActivate: [manager],
        loadComponent: () => import('./system/kiosks').then((m) => m.Kiosks),
      },
      { path: 'profile', loadComponent: () => import('./profile/profile').then((m) => m.Profile) },
      { path: 'not-allowed', loadComponent: () => import('./core/not-allowed').then((m) => m.NotAllowed) },
    ],
  },
  { path: '**', redirectTo: '' },
];
