import type { Routes } from '@angular/router';

/** The member's own pages: home (`/me`), sessions, refused taps, data download. */
export const MY_DATA_ROUTES: Routes = [];
