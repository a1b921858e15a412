import type { Routes } from '@angular/router';

/** The member's problem reports: their list (`/me/problems`) and the report form (`/me/report`). */
export const MY_PROBLEM_ROUTES: Routes = [];
