import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import { Throttle } from '@nestjs/throttler';
import { type CurrentUser, type ForgotPasswordOptions, SESSION_COOKIE } from '@fabomatic/contracts';
import type { Response } from 'express';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { Access, AllowedBeforePasswordChange, Public } from './auth.decorators';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  LoginDto,
  MagicLinkDto,
  MagicLinkVerifyDto,
  ResetPasswordDto,
} from './auth.dto';
import { PasswordResetService } from './password-reset.service';
import { authRateLimit, forgotRateLimit } from './auth-rate-limit';
import { AuthService, type MemberWithRole } from './auth.service';
import { MagicLinkService } from './magic-link.service';
import { MagicLinkSignIn, PasswordSignIn, SignedInMember } from './sign-in.guards';
import { type AuthenticatedRequest, type SessionUser, User } from './session-user';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly resets: PasswordResetService,
    private readonly magicLinks: MagicLinkService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Signs in with email and password (the `password` strategy) and opens a session: an httpOnly,
   * SameSite=Strict cookie. AUTH_RATE_LIMIT attempts a minute per address.
   */
  @Public()
  @Throttle({ default: { limit: authRateLimit, ttl: 60_000 } })
  @UseGuards(PasswordSignIn)
  @Post('login')
  @HttpCode(200)
  // The body is read by the strategy; declared here for validation and the OpenAPI document.
  login(
    @Body() _body: LoginDto,
    @SignedInMember() member: MemberWithRole,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CurrentUser> {
    return this.openSession(member, request, response);
  }

  /**
   * Emails a sign-in link. Always 202, whether or not the address may sign in (no account
   * enumeration); 503 EMAIL_NOT_CONFIGURED for every address when the lab has no SMTP server.
   * Rate-limited per client address (like "forgot password") and per email address.
   */
  @Public()
  @Throttle({ default: { limit: forgotRateLimit, ttl: 60_000 } })
  @Post('magic-link')
  @HttpCode(202)
  magicLink(@Body() body: MagicLinkDto): Promise<void> {
    return this.magicLinks.request(body.email);
  }

  /**
   * Signs in with an emailed link's token (the `magic-link` strategy) and opens a session. A POST,
   * so that mail scanners fetching the link do not use it up.
   */
  @Public()
  @Throttle({ default: { limit: authRateLimit, ttl: 60_000 } })
  @UseGuards(MagicLinkSignIn)
  @Post('magic-link/verify')
  @HttpCode(200)
  verifyMagicLink(
    @Body() _body: MagicLinkVerifyDto,
    @SignedInMember() member: MemberWithRole,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CurrentUser> {
    return this.openSession(member, request, response);
  }

  /** The cookie session every sign-in method ends in (ADR 0003). */
  private async openSession(
    member: MemberWithRole,
    request: AuthenticatedRequest,
    response: Response,
  ): Promise<CurrentUser> {
    const { token, user } = await this.auth.openSession(member);
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.COOKIE_SECURE === 'auto' ? request.secure : this.config.COOKIE_SECURE === 'true',
      path: '/',
      maxAge: this.auth.sessionTtlMs,
    });
    return user;
  }

  /** Whether "forgot password" can send a link at all: a lab without SMTP says so before asking. */
  @Public()
  @Get('forgot')
  forgotOptions(): ForgotPasswordOptions {
    return { emailConfigured: this.resets.emailConfigured };
  }

  /**
   * Always 202, whether or not the address is known (no account enumeration); 503
   * EMAIL_NOT_CONFIGURED for every address when the lab has no SMTP server.
   */
  @Public()
  @Throttle({ default: { limit: forgotRateLimit, ttl: 60_000 } })
  @Post('forgot')
  @HttpCode(202)
  forgot(@Body() body: ForgotPasswordDto): Promise<void> {
    return this.resets.requestByEmail(body.email);
  }

  @Public()
  @Throttle({ default: { limit: authRateLimit, ttl: 60_000 } })
  @Post('reset')
  @HttpCode(204)
  reset(@Body() body: ResetPasswordDto): Promise<void> {
    return this.resets.reset(body.token, body.newPassword);
  }

  @Access('member')
  @AllowedBeforePasswordChange()
  @Post('logout')
  @HttpCode(204)
  async logout(@User() user: SessionUser, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(user.tokenHash);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Access('member')
  @AllowedBeforePasswordChange()
  @Get('me')
  me(@User() user: SessionUser): CurrentUser {
    const { cardUid, tokenHash, ...current } = user;
    return current;
  }

  /** Changes the own password; a user without one (signed in by link) sets it without `currentPassword`. */
  @Access('member')
  @AllowedBeforePasswordChange()
  @Throttle({ default: { limit: authRateLimit, ttl: 60_000 } })
  @Post('password')
  @HttpCode(200)
  changePassword(@User() user: SessionUser, @Body() body: ChangePasswordDto): Promise<CurrentUser> {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }
}
