import { Injectable, Logger } from '@nestjs/common';
import { MACHINE_STATUS_RECENT_USE_DAYS } from '@fabomatic/contracts';
import { PortalReads } from '../../core/database/portal-reads';
import { Mailer, type MailMessage } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import { emailLanguage } from '../jobs/email-format';
import { type ProblemMailFacts, type ProblemMailKind, problemEmail } from './problem-emails';

interface Recipient {
  id: number;
  name: string;
  email: string;
  language: string;
}

const DAY_MS = 86_400_000;

/**
 * The emails of problem reports, sent after the change committed and never failing it: a mail
 * error is logged. Staff hear of every new report, the reporter of its resolution, and the members
 * who used the machine lately (unless they opted out) of it going out of order and coming back.
 */
@Injectable()
export class ProblemNotifier {
  private readonly logger = new Logger(ProblemNotifier.name);

  constructor(
    private readonly reads: PortalReads,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  /** Fire and forget: the request's answer never waits for SMTP. */
  notify(work: () => Promise<void>): void {
    if (!this.mailer.configured) return;
    work().catch((error: unknown) => this.logger.error(`problem report email failed: ${String(error)}`));
  }

  /** Staff with an email (read-only and up), the reporter left out. */
  async reported(facts: ProblemMailFacts, reporterId: number): Promise<void> {
    const staff = await this.reads.all<Recipient>(
      `SELECT m."id", m."name", m."email", m."language" FROM "members" m JOIN "roles" r ON r."id" = m."roleId"
       WHERE r."portalAccess" IN ('read-only', 'manager', 'admin') AND m."email" IS NOT NULL
         AND m."disabled" = ? AND m."deletedAt" IS NULL AND m."id" <> ?`,
      [false, reporterId],
    );
    await this.sendAll('reported', staff, facts);
  }

  async resolved(facts: ProblemMailFacts, reporterId: number): Promise<void> {
    const reporter = await this.reads.all<Recipient>(
      `SELECT "id", "name", "email", "language" FROM "members"
       WHERE "id" = ? AND "email" IS NOT NULL AND "deletedAt" IS NULL AND "disabled" = ?`,
      [reporterId, false],
    );
    await this.sendAll('resolved', reporter, facts);
  }

  /**
   * The members who used the machine in the last {@link MACHINE_STATUS_RECENT_USE_DAYS} days: a
   * bounded range of the `(machineId, startedAt)` index of the sessions.
   */
  async machineStatus(
    kind: 'out-of-order' | 'back-in-order',
    machineId: number,
    facts: ProblemMailFacts,
  ): Promise<void> {
    const since = this.clock.now().getTime() - MACHINE_STATUS_RECENT_USE_DAYS * DAY_MS;
    const users = await this.reads.all<Recipient>(
      `SELECT m."id", m."name", m."email", m."language" FROM "members" m
       WHERE m."id" IN (SELECT s."memberId" FROM "usage_sessions" s WHERE s."machineId" = ? AND s."startedAt" >= ?)
         AND m."email" IS NOT NULL AND m."machineStatusEmails" = ? AND m."disabled" = ? AND m."deletedAt" IS NULL`,
      [machineId, since, true, false],
    );
    await this.sendAll(kind, users, facts);
  }

  private async sendAll(
    kind: ProblemMailKind,
    recipients: readonly Recipient[],
    facts: ProblemMailFacts,
  ): Promise<void> {
    for (const r of recipients) {
      const message: MailMessage = problemEmail(kind, r.email, r.name, emailLanguage(r.language), facts);
      try {
        await this.mailer.send(message);
      } catch (error) {
        this.logger.error(`problem report email to member ${r.id} failed: ${String(error)}`);
      }
    }
  }
}
