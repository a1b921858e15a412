import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { MAGIC_LINK_TTL_MINUTES } from '@fabomatic/contracts';
import { IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError } from '../../core/http/api-error';
import { Mailer } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import { Member } from '../members/member.entity';
import { mayUsePortal, type MemberWithRole } from './auth.service';
import { LoginBackoff } from './login-backoff';
import { MagicLinkToken } from './magic-link-token.entity';
import { magicLinkEmail } from './magic-link-email';

export const MAGIC_LINK_TTL_MS = MAGIC_LINK_TTL_MINUTES * 60_000;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const invalidLink = () =>
  new ApiError(HttpStatus.BAD_REQUEST, 'MAGIC_LINK_INVALID', 'this sign-in link is invalid, used or expired');

/**
 * Sign-in by emailed link: a 256-bit random token, only its SHA-256 stored, valid 15 minutes,
 * single use; using one voids every other link of the member. The request answers the same
 * whatever the address (no account enumeration); the mail leaves in the background.
 */
@Injectable()
export class MagicLinkService {
  private readonly logger = new Logger(MagicLinkService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly mailer: Mailer,
    private readonly backoff: LoginBackoff,
  ) {}

  /**
   * Emails a link when the address is an active member's who may sign in; nothing said either
   * way. Without SMTP: 503 EMAIL_NOT_CONFIGURED for every address (said for the lab, not the address).
   */
  async request(email: string): Promise<void> {
    // Every request counts, known address or not: one inbox cannot be flooded with links.
    this.backoff.magicLink.check(email);
    this.backoff.magicLink.failed(email);
    if (!this.mailer.configured) {
      this.logger.warn(
        `sign-in link asked for ${email.trim().toLowerCase()}, but no email can be sent: SMTP_URL is not configured`,
      );
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'EMAIL_NOT_CONFIGURED',
        'no SMTP server is configured',
      );
    }
    const member = (await this.uow.manager.findOne(Member, {
      where: { email: email.trim().toLowerCase(), deletedAt: IsNull() },
      relations: { role: true },
    })) as MemberWithRole | null;
    if (!mayUsePortal(member) || !member.email) return;
    void this.send(member, member.email).catch((error: unknown) =>
      this.logger.error(`sign-in link email to member ${member.id} failed: ${String(error)}`),
    );
  }

  /**
   * The member a link's token signs in (the magic-link strategy): once, before it expires, while
   * the member may still sign in. Using it voids every other link of theirs.
   */
  async consume(token: string): Promise<MemberWithRole> {
    const now = this.clock.now();
    const row = await this.uow.manager.findOne(MagicLinkToken, {
      where: { tokenHash: sha256(token), usedAt: IsNull(), expiresAt: MoreThan(now) },
      relations: { member: { role: true } },
    });
    const member = (row?.member ?? null) as MemberWithRole | null;
    if (!row || !mayUsePortal(member)) throw invalidLink();
    await this.uow.run(async (em) => {
      // Re-checked inside the transaction: two concurrent uses of one link, one wins.
      const claimed = await em.update(
        MagicLinkToken,
        { tokenHash: row.tokenHash, usedAt: IsNull() },
        { usedAt: now },
      );
      if (!claimed.affected) throw invalidLink();
      await em.update(MagicLinkToken, { memberId: member.id, usedAt: IsNull() }, { usedAt: now });
    });
    // The member used their link: they may ask for the next one at once.
    if (member.email) this.backoff.magicLink.succeeded(member.email);
    return member;
  }

  private async send(member: MemberWithRole, to: string): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.uow.run(async (em) => {
      // Expired and used links are kept no longer than it takes to send the next one.
      await em.delete(MagicLinkToken, { expiresAt: LessThan(now) });
      await em.delete(MagicLinkToken, { usedAt: Not(IsNull()) });
      await em.insert(MagicLinkToken, {
        tokenHash: sha256(token),
        memberId: member.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + MAGIC_LINK_TTL_MS),
        usedAt: null,
      });
    });
    const base = (this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/$/, '');
    // In the fragment: never sent to the server by the browser, kept out of access logs.
    const link = `${base}/login/link#token=${encodeURIComponent(token)}`;
    await this.mailer.send(magicLinkEmail(to, member.name, member.language, link));
  }
}
