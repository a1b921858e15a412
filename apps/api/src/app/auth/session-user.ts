import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CurrentUser } from '@fabomatic/contracts';
import type { Request } from 'express';

/** What the session guard attaches to a request. */
export interface SessionUser extends CurrentUser {
  readonly cardUid: string | null;
  readonly tokenHash: string;
}

export type AuthenticatedRequest = Request & { user?: SessionUser };

/** The signed-in user of the request (routes behind the session guard only). */
export const User = createParamDecorator((_: unknown, context: ExecutionContext): SessionUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('@User() used on a public route');
  return user;
});
