import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  hasAccess,
  type PortalAccess,
  SESSION_COOKIE,
} from '@fabomatic/contracts';
import { ApiError } from '../../core/http/api-error';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, PUBLIC_ROUTE, REQUIRED_ACCESS } from './auth.decorators';
import { AuthService } from './auth.service';
import type { AuthenticatedRequest } from './session-user';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every HTTP route: CSRF header on state-changing requests, a valid session unless @Public, the
 * level the route declares with @Access (admin when it declares none: fail closed), and nothing
 * but the password change while a bootstrap or reset password is pending.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (!SAFE_METHODS.has(request.method) && request.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'CSRF_HEADER_MISSING',
        `missing header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE}`,
      );
    }
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const cookies = request.cookies as Record<string, string | undefined> | undefined;
    const user = await this.auth.resolve(cookies?.[SESSION_COOKIE]);
    if (!user) throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'sign in first');
    request.user = user;

    if (
      user.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, targets)
    ) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'PASSWORD_CHANGE_REQUIRED', 'change your password first');
    }
    const required = this.reflector.getAllAndOverride<PortalAccess>(REQUIRED_ACCESS, targets) ?? 'admin';
    if (!hasAccess(user.access, required)) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `needs ${required} access`);
    }
    return true;
  }
}
