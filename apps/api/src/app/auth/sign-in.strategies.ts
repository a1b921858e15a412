import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Strategy as LocalStrategy } from 'passport-local';
import { AuthService, type MemberWithRole } from './auth.service';
import { MagicLinkService } from './magic-link.service';

/**
 * The portal's sign-in methods, as passport strategies (ADR 0003, amended): each only says who
 * the member is; the controller then opens the cookie session (no passport session). Single
 * sign-on (OIDC) joins as one more strategy.
 */

/** Email and password. */
@Injectable()
export class PasswordStrategy extends PassportStrategy(LocalStrategy, 'password') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  validate(email: string, password: string): Promise<MemberWithRole> {
    return this.auth.authenticatePassword(email, password);
  }
}

/** The token of an emailed sign-in link, POSTed by the SPA's landing page. */
@Injectable()
export class MagicLinkStrategy extends PassportStrategy(CustomStrategy, 'magic-link') {
  constructor(private readonly links: MagicLinkService) {
    super();
  }

  validate(request: Request): Promise<MemberWithRole> {
    const { token } = request.body as { token: string };
    return this.links.consume(token);
  }
}
