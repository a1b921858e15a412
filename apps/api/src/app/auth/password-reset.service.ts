import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { Mailer } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';
import { AuthService } from './auth.service';
import { LoginBackoff } from './login-backoff';
import { hashPassword } from './password-hashing';
import { PasswordResetToken } from './password-reset-token.entity';
import { PortalSession } from './portal-session.entity';
import { resetEmail } from './reset-email';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
const emailNotConfigured = () =>
  new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'EMAIL_NOT_CONFIGURED', 'no SMTP server is configured');
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Password reset by email: single-use links valid 30 minutes, built from PUBLIC_URL (never from the
 * request's Host header), the same answer whether or not the address belongs to someone.
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly backoff: LoginBackoff,
  ) {}

  /** Whether reset links can be sent at all (the same answer for every address). */
  get emailConfigured(): boolean {
    return this.mailer.configured;
  }

  /**
   * "Forgot password": answers nothing about the address; the email leaves in the background.
   * Without SMTP it says so (503 EMAIL_NOT_CONFIGURED) for every address, and logs the request.
   */
  async requestByEmail(email: string): Promise<void> {
    // Every request counts, known address or not: one inbox cannot be flooded with links.
    this.backoff.forgot.check(email);
    this.backoff.forgot.failed(email);
    // Said for the lab as a whole, whatever the address: it tells nothing about who has an account.
    if (!this.mailer.configured) {
      this.logger.warn(
        `password reset asked for ${email.trim().toLowerCase()}, but no email can be sent: SMTP_URL is not configured (an admin can run "fabomatic admin reset-password")`,
      );
      throw emailNotConfigured();
    }
    const member = (await this.uow.manager.findOne(Member, {
      where: { email: email.trim().toLowerCase(), deletedAt: IsNull(), disabled: false },
      relations: { role: true },
    })) as (Member & { role: Role }) | null;
    if (!member || member.role.portalAccess === 'none') return;
    void this.send(member).catch((error: unknown) =>
      this.logger.error(`password reset email to member ${member.id} failed: ${String(error)}`),
    );
  }

  /** Staff send a member the reset link (the link goes to the member's own address only). */
  async requestForMember(actor: AuditActor, memberId: number): Promise<void> {
    const member = await this.uow.manager.findOneBy(Member, { id: memberId, deletedAt: IsNull() });
    if (!member) throw notFound('member');
    if (!member.email)
      throw new ApiError(HttpStatus.CONFLICT, 'MEMBER_HAS_NO_EMAIL', 'the member has no email');
    if (!this.mailer.configured) throw emailNotConfigured();
    await this.send(member);
    await this.uow.run((em) =>
      this.audit.record(em, actor, 'send-password-reset', 'member', member.id, null, null),
    );
  }

  /** Sets a new password from a link: once, before it expires; ends every session of the member. */
  async reset(token: string, newPassword: string): Promise<void> {
    const now = this.clock.now();
    const row = await this.uow.manager.findOne(PasswordResetToken, {
      where: { tokenHash: sha256(token), usedAt: IsNull(), expiresAt: MoreThan(now) },
      relations: { member: true },
    });
    const member = row?.member;
    if (!row || !member || member.deletedAt || member.disabled) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'RESET_TOKEN_INVALID',
        'this link is invalid, used or expired',
      );
    }
    this.auth.assertStrong(newPassword, member);
    const passwordHash = await hashPassword(newPassword);
    await this.uow.run(async (em, events) => {
      // Re-checked inside the transaction: two concurrent uses of one link, one wins.
      const claimed = await em.update(
        PasswordResetToken,
        { tokenHash: row.tokenHash, usedAt: IsNull() },
        { usedAt: now },
      );
      if (!claimed.affected) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'RESET_TOKEN_INVALID',
          'this link is invalid, used or expired',
        );
      }
      await em.update(PasswordResetToken, { memberId: member.id, usedAt: IsNull() }, { usedAt: now });
      await em.update(Member, member.id, { passwordHash, mustChangePassword: false });
      await em.delete(PortalSession, { memberId: member.id });
      await this.audit.record(
        em,
        { id: member.id, email: member.email ?? '' },
        'reset-password',
        'member',
        member.id,
        null,
        null,
      );
      events.publish('portal-access-changed', { memberId: member.id });
    });
  }

  private async send(member: Member): Promise<void> {
    if (!member.email) return;
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.uow.run(async (em) => {
      // Expired and used links are kept no longer than it takes to send the next one.
      await em.delete(PasswordResetToken, { expiresAt: LessThan(now) });
      await em.delete(PasswordResetToken, { usedAt: Not(IsNull()) });
      await em.insert(PasswordResetToken, {
        tokenHash: sha256(token),
        memberId: member.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
        usedAt: null,
      });
    });
    const base = (this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/$/, '');
    const link = `${base}/reset-password?token=${encodeURIComponent(token)}`;
    await this.mailer.send(resetEmail(member.email, member.name, member.language, link));
  }
}
