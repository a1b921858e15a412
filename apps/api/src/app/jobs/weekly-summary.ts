import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ms, type SqlRunner } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Mailer } from '../../core/mail/mailer';
import { moveAccessEventInbox } from '../access-events/inbox-rows';
import { Clock } from '../../core/time/clock';
import { emailLanguage, type EmailLanguage } from './email-format';
import { lastFullWeek, localDate, type TimeWindow } from './lab-week';
import { planStates } from './plan-states';
import { weeklySummaryEmail } from './weekly-summary-email';

export interface MachineWeek {
  readonly machineName: string;
  readonly sessions: number;
  readonly hours: number;
}

export interface OverduePlan {
  readonly machineName: string;
  readonly description: string;
  readonly hoursSince: number;
  readonly hoursBetween: number;
}

export interface UnknownCardScans {
  readonly cardUid: string;
  readonly scans: number;
}

/** What the lab did in one week: the same for every recipient, but card UIDs are shown to admins only. */
export interface WeekFacts {
  readonly window: TimeWindow;
  /** Local dates of the first (Monday) and last (Sunday) day. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly machines: readonly MachineWeek[];
  readonly sessions: number;
  readonly hours: number;
  readonly overdue: readonly OverduePlan[];
  readonly unknownScans: number;
  readonly unknownCards: readonly UnknownCardScans[];
}

export interface SummaryRecipient {
  readonly email: string;
  readonly language: EmailLanguage;
  readonly subject: string;
  /** Admins see the rejected card UIDs; other portal users only how many. */
  readonly withCardUids: boolean;
}

export interface WeeklySummaryResult {
  readonly from: string;
  readonly to: string;
  /** The week's first (Monday) and last (Sunday) local dates, in `timeZone`. */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly timeZone: string;
  readonly recipients: readonly SummaryRecipient[];
  readonly sent: number;
  readonly failed: number;
}

const round1 = (hours: number) => Math.round(hours * 10) / 10;
/** Integers we computed, written into SQL as literals (safe, and typed the same on both drivers). */
const literal = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
};

/**
 * The weekly summary (scheduled, and `fabomatic weekly-summary`): the last full week in the lab's
 * time zone — exactly seven days, Monday to Monday — mailed to the portal users who asked for it,
 * in their language. Lab-wide activity goes to portal users only; rejected card UIDs to admins only.
 */
@Injectable()
export class WeeklySummary {
  private readonly logger = new Logger('WeeklySummary');

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async run(options: { dryRun?: boolean } = {}): Promise<WeeklySummaryResult> {
    const now = this.clock.now().getTime();
    // The week's last taps may still be in the access events' inbox (SQLite, ADR 0010).
    await moveAccessEventInbox(this.uow);
    const sql = this.uow.reader;
    const facts = await weekFacts(sql, now, this.config.LAB_TIME_ZONE);
    const people = await sql.all<{ name: string; email: string; language: string; portalAccess: string }>(
      `SELECT m."name", m."email", m."language", r."portalAccess"
       FROM "members" m JOIN "roles" r ON r."id" = m."roleId"
       WHERE m."receiveWeeklySummary" = ? AND m."disabled" = ? AND m."deletedAt" IS NULL
         AND m."email" IS NOT NULL AND r."portalAccess" NOT IN ('none', 'member')
       ORDER BY m."email"`,
      [true, false],
    );
    const recipients: SummaryRecipient[] = [];
    let sent = 0;
    let failed = 0;
    const sending = !options.dryRun;
    if (sending && !this.mailer.configured) {
      this.logger.warn('weekly summary not sent: SMTP_URL is not configured');
    }
    for (const person of people) {
      const language = emailLanguage(person.language);
      const withCardUids = person.portalAccess === 'admin';
      const message = weeklySummaryEmail(person.email, person.name, language, facts, withCardUids);
      recipients.push({ email: person.email, language, subject: message.subject, withCardUids });
      if (!sending || !this.mailer.configured) continue;
      try {
        await this.mailer.send(message);
        sent++;
      } catch (error) {
        failed++;
        this.logger.error(`weekly summary to a recipient failed: ${String(error)}`);
      }
    }
    const result = {
      from: new Date(facts.window.from).toISOString(),
      to: new Date(facts.window.to).toISOString(),
      firstDay: facts.firstDay,
      lastDay: facts.lastDay,
      timeZone: this.config.LAB_TIME_ZONE,
      recipients,
      sent,
      failed,
    };
    if (sending)
      this.logger.log(`weekly summary ${facts.firstDay}..${facts.lastDay}: ${sent} sent, ${failed} failed`);
    return result;
  }
}

/** The week's figures, computed by SQL aggregates on either driver. */
async function weekFacts(sql: SqlRunner, now: number, timeZone: string): Promise<WeekFacts> {
  const window = lastFullWeek(now, timeZone);
  const from = literal(window.from);
  const to = literal(window.to);
  // Sessions overlapping the week count with the part of them inside it; open ones up to its end.
  const end = `COALESCE(s."endedAt", ${to})`;
  const rows = await sql.all<{ machineName: string; sessions: string | number; ms: string | number | null }>(
    `SELECT m."name" AS "machineName", COUNT(*) AS "sessions",
            SUM((CASE WHEN ${end} > ${to} THEN ${to} ELSE ${end} END)
              - (CASE WHEN s."startedAt" < ${from} THEN ${from} ELSE s."startedAt" END)) AS "ms"
     FROM "usage_sessions" s JOIN "machines" m ON m."id" = s."machineId"
     WHERE s."startedAt" < ${to} AND (s."endedAt" IS NULL OR s."endedAt" > ${from})
     GROUP BY m."id", m."name", m."nameSortKey"
     ORDER BY m."nameSortKey", m."name"`,
  );
  const machines = rows.map((row) => ({
    machineName: row.machineName,
    sessions: Number(row.sessions),
    hours: round1((ms(row.ms) ?? 0) / 3_600_000),
  }));
  const cards = await sql.all<{ cardUid: string; scans: string | number }>(
    `SELECT e."cardUid" AS "cardUid", SUM(e."count") AS "scans" FROM "access_events" e
     WHERE e."reason" = 'unknown-card' AND e."cardUid" IS NOT NULL
       AND e."occurredAt" >= ${from} AND e."occurredAt" < ${to}
     GROUP BY e."cardUid"
     ORDER BY SUM(e."count") DESC, e."cardUid"`,
  );
  const unknownCards = cards.map((c) => ({ cardUid: c.cardUid, scans: Number(c.scans) }));
  const overdue = (await planStates(sql, now))
    .filter((p) => p.due)
    .map((p) => ({
      machineName: p.machineName,
      description: p.description,
      hoursSince: round1(p.hoursSince),
      hoursBetween: p.hoursBetween,
    }));
  return {
    window,
    firstDay: localDate(window.from, timeZone),
    lastDay: localDate(window.to - 1, timeZone),
    machines,
    sessions: machines.reduce((sum, m) => sum + m.sessions, 0),
    hours: round1(rows.reduce((sum, r) => sum + (ms(r.ms) ?? 0), 0) / 3_600_000),
    overdue,
    unknownScans: unknownCards.reduce((sum, c) => sum + c.scans, 0),
    unknownCards,
  };
}
