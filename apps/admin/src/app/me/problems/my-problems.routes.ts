import type { Routes } from '@angular/router';

/** The member's problem report pages, under `/me`: report a problem, and their reports. */
export const MY_PROBLEM_ROUTES: Routes = [
  { path: 'report', loadComponent: () => import('./report-problem').then((m) => m.ReportProblem) },
  { path: 'problems', loadComponent: () => import('./my-problems').then((m) => m.MyProblems) },
];
