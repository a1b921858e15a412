import { createParamDecorator, type ExecutionContext, Injectable, type Type } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { createValidationPipe } from '../../core/http/validation';
import type { MemberWithRole } from './auth.service';
import { LoginDto, MagicLinkVerifyDto } from './auth.dto';

const validation = createValidationPipe();

/**
 * A strategy's guard that first validates the body like every other route (400
 * VALIDATION_FAILED, before passport sees it), then lets the strategy's own ApiError through
 * (INVALID_CREDENTIALS, TOO_MANY_REQUESTS, MAGIC_LINK_INVALID).
 */
function signInGuard(strategy: string, body: Type): Type<IAuthGuard> {
  @Injectable()
  class SignInGuard extends AuthGuard(strategy) {
    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context.switchToHttp().getRequest<Request>();
      await validation.transform(request.body, { type: 'body', metatype: body });
      return (await super.canActivate(context)) as boolean;
    }
  }
  return SignInGuard;
}

export const PasswordSignIn = signInGuard('password', LoginDto);
export const MagicLinkSignIn = signInGuard('magic-link', MagicLinkVerifyDto);

/** The member a sign-in strategy authenticated (sign-in routes only). */
export const SignedInMember = createParamDecorator(
  (_: unknown, context: ExecutionContext): MemberWithRole => {
    const member = context.switchToHttp().getRequest<{ user?: MemberWithRole }>().user;
    if (!member) throw new Error('@SignedInMember() used without a sign-in guard');
    return member;
  },
);
