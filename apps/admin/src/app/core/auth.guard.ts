import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { hasAccess, homeFor, type PortalAccess } from '@fabomatic/contracts';
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

/**
 * Pages for a portal level and above, the level the API asks for what the page is for (creating
 * a member needs a manager, the system page an admin): a lower level gets a "not allowed" page
 * rather than a form it cannot save.
 */
export function needsLevel(level: Exclude<PortalAccess, 'none'>): CanActivateFn {
  return async () => {
    const auth = inject(Auth);
    const router = inject(Router);
    const user = auth.user() ?? (await auth.refresh());
    if (!user) return router.parseUrl('/login');
    return hasAccess(user.access, level) ? true : router.parseUrl('/not-allowed');
  };
}

/**
 * The staff portal (read-only and up): a member (the members' portal level) is sent to their own
 * pages at /me instead. After {@link signedIn}.
 */
export const staffOnly: CanActivateFn = async () => {
  const auth = inject(Auth);
  const router = inject(Router);
  const user = auth.user() ?? (await auth.refresh());
  if (!user) return router.parseUrl('/login');
  return hasAccess(user.access, 'read-only') ? true : router.parseUrl(homeFor(user.access));
};

/** Where a user goes once signed in: the password change first, then their portal's home. */
export function afterSignIn(user: { mustChangePassword: boolean; access: PortalAccess }): string {
  return user.mustChangePassword ? '/password' : homeFor(user.access);
}
