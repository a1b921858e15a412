import { Inject, Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ms } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Mailer } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import {
  type CertificationFacts,
  effectiveExpiry,
  localDay,
  type Policy,
} from '../authorizations/certification';
import { policyOf } from '../authorizations/certification-store';
import { emailLanguage } from '../jobs/email-format';
import { localDate } from '../jobs/lab-week';
import { CertificationReminder } from './certification-reminder.entity';
import { certificationReminderEmail, type ReminderItem } from './certification-reminder-email';

export interface CertificationReminderResult {
  /** The lab-local day the run was for (`2027-03-04`). */
  readonly day: string;
  /** Reminders due (one per authorization), and the members they went to. */
  readonly due: number;
  readonly recipients: readonly string[];
  readonly sent: number;
  readonly failed: number;
}

/** The members' portal page where a member asks for a refresher. */
export function trainingPageUrl(config: Pick<AppConfig, 'PUBLIC_URL' | 'PORT'>): string {
  const base = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
  return `${base}/me/training`;
}

/**
 * The step due on the lab day of `now` for an active, expiring authorization: the latest reminder
 * step whose day has come (the smallest step ≥ the days left). On its day this is exactly
 * `reminderDue`; after a missed run it is the one step to catch up (never the earlier ones).
 */
export function dueStep(
  facts: CertificationFacts,
  policy: Policy,
  timeZone: string,
  now: number,
): { readonly daysBefore: number; readonly expiresAt: number; readonly cause: ReminderItem['cause'] } | null {
  if (facts.status !== 'active' || policy.reminderDays.length === 0) return null;
  const expiry = effectiveExpiry(facts, policy, timeZone);
  if (expiry === null || expiry.at <= now) return null;
  const daysLeft = localDay(timeZone, expiry.at - 1) - localDay(timeZone, now);
  const arrived = policy.reminderDays.filter((step) => step >= daysLeft);
  if (arrived.length === 0) return null;
  return { daysBefore: Math.min(...arrived), expiresAt: expiry.at, cause: expiry.cause };
}

interface Candidate {
  readonly id: number;
  readonly status: 'active';
  readonly expiresAt: string | number | null;
  readonly grantedAt: string | number | null;
  readonly lastUsedAt: string | number | null;
  readonly machineName: string;
  readonly validityDays: number | null;
  readonly decayDays: number | null;
  readonly reminderDays: string;
  readonly memberId: number;
  readonly memberName: string;
  readonly email: string;
  readonly language: string;
}

/**
 * Expiry reminders (scheduled daily, `CERTIFICATION_REMINDER_CRON`): for each active authorization of
 * a machine type with reminder steps, held by a member with an email who is not exempt (a role that
 * authorizes all machines or does maintenance), the step due today in lab days. A member gets one
 * email a day, in their language, listing every machine due. Each reminder is recorded in
 * `certification_reminders` (authorization, step, expiry): a rerun sends nothing twice, a late run
 * sends only the latest step that came (not every step missed), and a renewal (a new expiry) starts
 * the steps again. Only active authorizations of types with steps are read: the work does not grow
 * with the usage history.
 */
@Injectable()
export class CertificationReminders {
  private readonly logger = new Logger('CertificationReminders');

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE' | 'PUBLIC_URL' | 'PORT'>,
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<CertificationReminderResult> {
    const now = this.clock.now();
    const timeZone = this.config.LAB_TIME_ZONE;
    const day = localDate(now.getTime(), timeZone);
    const rows = await this.uow.reader.all<Candidate>(
      `SELECT a."id", a."status", a."expiresAt", a."grantedAt", a."lastUsedAt",
              mc."name" AS "machineName", t."validityDays", t."decayDays", t."reminderDays",
              m."id" AS "memberId", m."name" AS "memberName", m."email", m."language"
       FROM "authorizations" a
       JOIN "machines" mc ON mc."id" = a."machineId"
       JOIN "machine_types" t ON t."id" = mc."typeId"
       JOIN "members" m ON m."id" = a."memberId"
       JOIN "roles" r ON r."id" = m."roleId"
       WHERE a."status" = 'active' AND t."reminderDays" <> ''
         AND (t."validityDays" IS NOT NULL OR t."decayDays" IS NOT NULL OR a."expiresAt" IS NOT NULL)
         AND r."authorizeAll" = ? AND r."maintenance" = ?
         AND m."disabled" = ? AND m."deletedAt" IS NULL AND m."email" IS NOT NULL
       ORDER BY m."id", mc."name"`,
      [false, false, false],
    );
    const due = rows.flatMap((row) => {
      const step = dueStep(
        {
          status: 'active',
          expiresAt: ms(row.expiresAt),
          grantedAt: ms(row.grantedAt),
          lastUsedAt: ms(row.lastUsedAt),
          exempt: false,
        },
        policyOf(row),
        timeZone,
        now.getTime(),
      );
      return step ? [{ row, step }] : [];
    });
    if (due.length === 0) return { day, due: 0, recipients: [], sent: 0, failed: 0 };
    if (!this.mailer.configured) {
      // Not recorded: once SMTP is configured, the members hear about it.
      this.logger.warn(`${due.length} expiry reminder(s) due, not sent: SMTP_URL is not configured`);
      return { day, due: due.length, recipients: [], sent: 0, failed: 0 };
    }
    // What was already sent for these expiries: this step, or a later (smaller) one.
    const sent = await this.uow.reader.all<{
      authorizationId: number;
      daysBefore: number;
      expiresAt: string | number;
    }>(
      `SELECT "authorizationId", "daysBefore", "expiresAt" FROM "certification_reminders"
       WHERE "authorizationId" IN (${due.map(() => '?').join(',')})`,
      due.map((d) => d.row.id),
    );
    const fresh = due.filter(
      ({ row, step }) =>
        !sent.some(
          (s) =>
            Number(s.authorizationId) === row.id &&
            ms(s.expiresAt) === step.expiresAt &&
            Number(s.daysBefore) <= step.daysBefore,
        ),
    );
    const byMember = new Map<number, typeof fresh>();
    for (const entry of fresh) {
      byMember.set(entry.row.memberId, [...(byMember.get(entry.row.memberId) ?? []), entry]);
    }
    const url = trainingPageUrl(this.config);
    const recipients: string[] = [];
    let mailed = 0;
    let failed = 0;
    for (const entries of byMember.values()) {
      const { email, memberName, language } = entries[0].row;
      // Recorded first (the unique key makes a concurrent run skip it), removed if the mail fails.
      let ids: number[];
      try {
        ids = await this.uow.run(async (em) => {
          const saved = await em.save(
            entries.map(({ row, step }) =>
              em.create(CertificationReminder, {
                authorizationId: row.id,
                daysBefore: step.daysBefore,
                expiresAt: new Date(step.expiresAt),
                sentAt: now,
              }),
            ),
          );
          return saved.map((r) => r.id);
        });
      } catch (error) {
        this.logger.warn(`expiry reminder skipped (already recorded?): ${String(error)}`);
        continue;
      }
      const items = entries.map(({ row, step }) => ({
        machineName: row.machineName,
        lastDay: localDate(step.expiresAt - 1, timeZone),
        cause: step.cause,
      }));
      try {
        await this.mailer.send(
          certificationReminderEmail(email, memberName, emailLanguage(language), items, url),
        );
        mailed++;
        recipients.push(email);
      } catch (error) {
        failed++;
        this.logger.error(`expiry reminder to a member failed: ${String(error)}`);
        await this.uow.run((em) => em.delete(CertificationReminder, { id: In(ids) }));
      }
    }
    this.logger.log(`expiry reminders ${day}: ${fresh.length} due, ${mailed} sent, ${failed} failed`);
    return { day, due: fresh.length, recipients, sent: mailed, failed };
  }
}
