import { Inject, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { setAuthRateLimit } from './auth-rate-limit';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { Mailer, SmtpMailer } from '../../core/mail/mailer';
import { AuthController } from './auth.controller';
import { MagicLinkService } from './magic-link.service';
import { PasswordResetService } from './password-reset.service';
import { MagicLinkStrategy, PasswordStrategy } from './sign-in.strategies';
import { PasswordResetsController } from './password-resets.controller';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { HttpThrottlerGuard } from './http-throttler.guard';
import { LoginBackoff } from './login-backoff';
import { SessionGuard } from './session.guard';

@Module({
  imports: [
    ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 600 }]),
    // Strategies only authenticate: the session is ours (cookie, ADR 0003), never passport's.
    PassportModule.register({ session: false }),
  ],
  controllers: [AuthController, PasswordResetsController],
  providers: [
    AuthService,
    BootstrapAdminService,
    PasswordResetService,
    MagicLinkService,
    PasswordStrategy,
    MagicLinkStrategy,
    LoginBackoff,
    { provide: Mailer, useClass: SmtpMailer },
    { provide: APP_GUARD, useClass: HttpThrottlerGuard },
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [AuthService, Mailer],
})
export class AuthModule {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    setAuthRateLimit(config.AUTH_RATE_LIMIT);
  }
}
