import { Inject, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { setAuthRateLimit } from './auth-rate-limit';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Mailer, SmtpMailer } from '../../core/mail/mailer';
import { AuthController } from './auth.controller';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsController } from './password-resets.controller';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { HttpThrottlerGuard } from './http-throttler.guard';
import { LoginBackoff } from './login-backoff';
import { SessionGuard } from './session.guard';

@Module({
  imports: [ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 600 }])],
  controllers: [AuthController, PasswordResetsController],
  providers: [
    AuthService,
    BootstrapAdminService,
    PasswordResetService,
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
