import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { Auth } from './auth';

/** Pages behind a session; a pending first-login password change comes first. */
export const signedIn: CanActivateFn = async () => {
  const auth = inject(Auth);
  const router = inject(Router);
  const user = auth.user() ?? (await auth.refresh());
  if (!user) return router.parseUrl('/login');
  if (user.mustChangePassword) return router.parseUrl('/password');
  return true;
};
