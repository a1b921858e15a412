import { SetMetadata } from '@nestjs/common';
import type { PortalAccess } from '@fabomatic/contracts';

export const PUBLIC_ROUTE = 'fabomatic:public';
export const REQUIRED_ACCESS = 'fabomatic:access';
export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'fabomatic:before-password-change';

/** Reachable without a session (login, password reset, health). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The portal level a route needs. Every non-public route must say it: a route without it is refused
 * to everyone but admins (fail closed).
 */
export const Access = (level: Exclude<PortalAccess, 'none'>) => SetMetadata(REQUIRED_ACCESS, level);

/** Still usable while the user must change a bootstrap or reset password. */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);
