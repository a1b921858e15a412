import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { type CurrentUser, MIN_PASSWORD_LENGTH } from '@fabomatic/contracts';
import { IsNull, LessThan } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';
import { LoginBackoff } from './login-backoff';
import { hashPassword, verifyPassword } from './password-hashing';
import { PasswordResetToken } from './password-reset-token.entity';
import { PortalSession } from './portal-session.entity';
import type { SessionUser } from './session-user';

/** A session's expiry moves forward with use, at most this often (one write a minute, not per request). */
const TOUCH_EVERY_MS = 60_000;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const invalidCredentials = () =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS', 'wrong email or password');

/** A member loaded with their role: what a sign-in strategy hands the controller. */
export type MemberWithRole = Member & { role: Role };

export function toCurrentUser(member: MemberWithRole): CurrentUser {
  return {
    id: member.id,
    name: member.name,
    surname: member.surname,
    email: member.email ?? '',
    access: member.role.portalAccess,
    language: member.language,
    mustChangePassword: member.mustChangePassword,
    hasCard: member.cardUid !== null,
    hasPassword: member.passwordHash !== null,
  };
}

/** Whether a member may be signed in to the portal at all (`member` level and up, active). */
export function mayUsePortal(member: MemberWithRole | null): member is MemberWithRole {
  return !!member && !member.disabled && !member.deletedAt && member.role.portalAccess !== 'none';
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Compared against when the email is unknown, so both paths cost the same (no enumeration). */
  private readonly decoyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly backoff: LoginBackoff,
  ) {}

  get sessionTtlMs(): number {
    return this.config.SESSION_TTL_HOURS * 3600_000;
  }

  /** When a session used up to `now` expires: idle TTL from now, never past its absolute end. */
  private expiry(createdAt: Date, now: Date): Date {
    const end = createdAt.getTime() + this.config.SESSION_MAX_DAYS * 86_400_000;
    return new Date(Math.min(now.getTime() + this.sessionTtlMs, end));
  }

  /**
   * Checks email and password (the local sign-in strategy); the same error for every refusal.
   * Repeated failures for one email make it wait (login-backoff.ts), whether or not an account
   * has it; a legacy hash is upgraded on success.
   */
  async authenticatePassword(email: string, password: string): Promise<MemberWithRole> {
    this.backoff.login.check(email);
    const member = await this.findByEmail(email);
    const check = await verifyPassword(password, member?.passwordHash ?? (await this.decoyHash));
    if (!member || !check.valid || !mayUsePortal(member)) {
      this.backoff.login.failed(email);
      throw invalidCredentials();
    }
    this.backoff.login.succeeded(email);
    if (check.needsRehash) {
      member.passwordHash = await hashPassword(password);
      await this.uow.run((em) => em.update(Member, member.id, { passwordHash: member.passwordHash }));
      this.logger.log(`upgraded the legacy password hash of member ${member.id}`);
    }
    return member;
  }

  /** Opens a portal session for a member a sign-in strategy authenticated (ADR 0003: a cookie token). */
  async openSession(member: MemberWithRole): Promise<{ token: string; user: CurrentUser }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.uow.run(async (em) => {
      await em.delete(PortalSession, { expiresAt: LessThan(now) });
      await em.insert(PortalSession, {
        tokenHash: sha256(token),
        memberId: member.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: this.expiry(now, now),
      });
    });
    return { token, user: toCurrentUser(member) };
  }

  /** Called with the token hash of every session ended by a sign-out (live sockets close with it). */
  private readonly endedListeners = new Set<(tokenHash: string) => void>();

  onSessionEnded(listener: (tokenHash: string) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /**
   * The user of a session token, or null when the token, the session or the member is not valid.
   * `touch: false` checks without counting as use (a live socket's re-check keeps no session alive).
   */
  async resolve(token: string | undefined, { touch = true } = {}): Promise<SessionUser | null> {
    if (!token || token.length > 100) return null;
    const tokenHash = sha256(token);
    const session = await this.uow.manager.findOne(PortalSession, {
      where: { tokenHash },
      relations: { member: { role: true } },
    });
    const now = this.clock.now();
    if (!session || session.expiresAt <= now) return null;
    const member = session.member as MemberWithRole | undefined;
    if (!mayUsePortal(member ?? null) || !member) return null;
    if (touch && now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.uow.run((em) =>
        em.update(PortalSession, tokenHash, {
          lastSeenAt: now,
          expiresAt: this.expiry(session.createdAt, now),
        }),
      );
    }
    return { ...toCurrentUser(member), cardUid: member.cardUid, tokenHash };
  }

  async logout(tokenHash: string): Promise<void> {
    await this.uow.run((em) => em.delete(PortalSession, { tokenHash }));
    for (const listener of this.endedListeners) listener(tokenHash);
  }

  /**
   * Changes the user's own password; ends their other sessions. A member without a password (one
   * who signs in by emailed link) sets a first one without a current password.
   */
  async changePassword(
    user: SessionUser,
    currentPassword: string | undefined,
    newPassword: string,
  ): Promise<CurrentUser> {
    const member = await this.uow.manager.findOneOrFail(Member, {
      where: { id: user.id },
      relations: { role: true },
    });
    if (member.passwordHash !== null) {
      // A stolen session guessing the current password backs off like a sign-in for the same email.
      const identifier = member.email ?? `member#${member.id}`;
      this.backoff.login.check(identifier);
      if (!(await verifyPassword(currentPassword ?? '', member.passwordHash)).valid) {
        this.backoff.login.failed(identifier);
        throw new ApiError(
          HttpStatus.UNAUTHORIZED,
          'CURRENT_PASSWORD_WRONG',
          'the current password is wrong',
        );
      }
      this.backoff.login.succeeded(identifier);
      // A temporary (bootstrap, CLI or reset) password kept as the "new" one would keep working.
      if (newPassword === currentPassword) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'NEW_PASSWORD_SAME_AS_CURRENT',
          'the new password must differ from the current one',
        );
      }
    }
    this.assertStrong(newPassword, member);
    const passwordHash = await hashPassword(newPassword);
    await this.uow.run(async (em, events) => {
      await em.update(Member, member.id, { passwordHash, mustChangePassword: false });
      // Reset links sent before the change die with the old password.
      await em.delete(PasswordResetToken, { memberId: member.id, usedAt: IsNull() });
      await this.audit.record(em, user, 'change-password', 'member', member.id, null, null);
      await em
        .createQueryBuilder()
        .delete()
        .from(PortalSession)
        .where('"memberId" = :id AND "tokenHash" <> :keep', { id: member.id, keep: user.tokenHash })
        .execute();
      // The member's other sessions ended: their live sockets close now.
      events.publish('portal-access-changed', { memberId: member.id });
    });
    return { ...toCurrentUser({ ...member, passwordHash } as MemberWithRole), mustChangePassword: false };
  }

  assertStrong(password: string, member: Pick<Member, 'email' | 'name'>): void {
    const lower = password.toLowerCase();
    if (
      password.length < MIN_PASSWORD_LENGTH ||
      (member.email && lower.includes(member.email.split('@')[0]?.toLowerCase() ?? '\u0000')) ||
      ['password', 'admin', 'fabomatic', '1234567890'].some((weak) => lower.includes(weak))
    ) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'WEAK_PASSWORD',
        `at least ${MIN_PASSWORD_LENGTH} characters, not based on the email or common words`,
      );
    }
  }

  private findByEmail(email: string): Promise<MemberWithRole | null> {
    return this.uow.manager.findOne(Member, {
      where: { email: email.trim().toLowerCase(), deletedAt: IsNull() },
      relations: { role: true },
    }) as Promise<MemberWithRole | null>;
  }
}
