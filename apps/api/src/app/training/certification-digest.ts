import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { ms } from '../../core/database/sql';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { Mailer, type MailMessage } from '../../core/mail/mailer';
import { Clock } from '../../core/time/clock';
import { DAY_MS } from '../reports/time-zone';
import { type EmailLanguage, emailLanguage, formatDay, htmlEmail, textEmail } from '../jobs/email-format';
import { localDate } from '../jobs/lab-week';
import { expiringAuthorizations } from './expiring-authorizations';

export interface DigestFacts {
  /** Per machine type, the authorizations whose last valid day is in the next 30 days. */
  readonly expiring: readonly {
    readonly machineTypeName: string;
    readonly items: readonly { memberName: string; machineName: string; lastDay: string }[];
  }[];
  /** Open training requests per machine type. */
  readonly openRequests: readonly { machineTypeName: string; count: number }[];
  /** Sessions not yet completed starting in the next 7 days. */
  readonly sessions: readonly {
    machineTypeName: string;
    startsAt: string;
    day: string;
    place: string;
    trainees: number;
  }[];
}

export interface CertificationDigestResult {
  readonly facts: DigestFacts;
  readonly recipients: readonly string[];
  readonly sent: number;
  readonly failed: number;
}

export const DIGEST_EXPIRY_DAYS = 30;

/**
 * The weekly certification digest to staff (scheduled with the weekly summary, `WEEKLY_SUMMARY_CRON`,
 * as its own job `certification-digest`): authorizations expiring in the next 30 days by machine
 * type, and the training queue (open requests per type, sessions planned in the next seven days).
 * Sent to every portal user (read-only and up) with an email, in their language; nothing is sent
 * when there is nothing to report.
 */
@Injectable()
export class CertificationDigest {
  private readonly logger = new Logger('CertificationDigest');

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE'>,
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
  ) {}

  async facts(now: number): Promise<DigestFacts> {
    const tz = this.config.LAB_TIME_ZONE;
    const sql = this.uow.reader;
    const expiring = await expiringAuthorizations(sql, tz, now, DIGEST_EXPIRY_DAYS);
    const byType = new Map<string, { memberName: string; machineName: string; lastDay: string }[]>();
    for (const a of expiring) {
      const list = byType.get(a.machineTypeName) ?? [];
      list.push({
        memberName: a.memberName,
        machineName: a.machineName,
        lastDay: localDate(a.expiresAt - 1, tz),
      });
      byType.set(a.machineTypeName, list);
    }
    const open = await sql.all<{ machineTypeName: string; count: string | number }>(
      `SELECT t."name" AS "machineTypeName", COUNT(*) AS "count" FROM "training_requests" q
       JOIN "machine_types" t ON t."id" = q."machineTypeId"
       WHERE q."state" = 'open' GROUP BY t."id", t."name" ORDER BY t."name"`,
    );
    const sessions = await sql.all<{
      machineTypeName: string;
      startsAt: string | number;
      place: string;
      trainees: string | number;
    }>(
      `SELECT t."name" AS "machineTypeName", s."startsAt", s."place",
              (SELECT COUNT(*) FROM "training_attendees" x WHERE x."sessionId" = s."id") AS "trainees"
       FROM "training_sessions" s JOIN "machine_types" t ON t."id" = s."machineTypeId"
       WHERE s."completedAt" IS NULL AND s."startsAt" >= ? AND s."startsAt" < ?
       ORDER BY s."startsAt"`,
      [now, now + 7 * DAY_MS],
    );
    return {
      expiring: [...byType.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([machineTypeName, items]) => ({ machineTypeName, items })),
      openRequests: open.map((r) => ({ machineTypeName: r.machineTypeName, count: Number(r.count) })),
      sessions: sessions.map((s) => {
        const at = ms(s.startsAt) ?? 0;
        return {
          machineTypeName: s.machineTypeName,
          startsAt: new Date(at).toISOString(),
          day: localDate(at, tz),
          place: s.place,
          trainees: Number(s.trainees),
        };
      }),
    };
  }

  async run(): Promise<CertificationDigestResult> {
    const facts = await this.facts(this.clock.now().getTime());
    if (facts.expiring.length === 0 && facts.openRequests.length === 0 && facts.sessions.length === 0) {
      return { facts, recipients: [], sent: 0, failed: 0 };
    }
    if (!this.mailer.configured) {
      this.logger.warn('certification digest not sent: SMTP_URL is not configured');
      return { facts, recipients: [], sent: 0, failed: 0 };
    }
    const staff = await this.uow.reader.all<{ name: string; email: string; language: string }>(
      `SELECT m."name", m."email", m."language" FROM "members" m JOIN "roles" r ON r."id" = m."roleId"
       WHERE r."portalAccess" IN ('read-only', 'manager', 'admin') AND m."disabled" = ?
         AND m."deletedAt" IS NULL AND m."email" IS NOT NULL
       ORDER BY m."email"`,
      [false],
    );
    const recipients: string[] = [];
    let sent = 0;
    let failed = 0;
    for (const person of staff) {
      try {
        await this.mailer.send(
          certificationDigestEmail(person.email, person.name, emailLanguage(person.language), facts),
        );
        sent++;
        recipients.push(person.email);
      } catch (error) {
        failed++;
        this.logger.error(`certification digest to a recipient failed: ${String(error)}`);
      }
    }
    this.logger.log(`certification digest: ${sent} sent, ${failed} failed`);
    return { facts, recipients, sent, failed };
  }
}

const TEXTS = {
  en: {
    subject: 'FabOMatic: certifications and training this week',
    hello: (name: string) => `Hello ${name},`,
    expiring: 'Authorizations expiring in the next 30 days',
    none: 'None.',
    item: (member: string, machine: string, day: string) => `${member}, ${machine}: valid through ${day}`,
    type: (type: string, n: number) => `${type} (${n})`,
    queue: 'Training queue',
    open: (type: string, n: number) => `${type}: ${n} open request${n === 1 ? '' : 's'}`,
    sessions: 'Training sessions in the next 7 days',
    session: (type: string, day: string, place: string, n: number) =>
      `${day}, ${type}, ${place}: ${n} trainee${n === 1 ? '' : 's'}`,
  },
  it: {
    subject: 'FabOMatic: autorizzazioni e corsi di questa settimana',
    hello: (name: string) => `Ciao ${name},`,
    expiring: 'Autorizzazioni in scadenza nei prossimi 30 giorni',
    none: 'Nessuna.',
    item: (member: string, machine: string, day: string) => `${member}, ${machine}: valida fino a ${day}`,
    type: (type: string, n: number) => `${type} (${n})`,
    queue: 'Coda dei corsi',
    open: (type: string, n: number) => `${type}: ${n} ${n === 1 ? 'richiesta aperta' : 'richieste aperte'}`,
    sessions: 'Corsi nei prossimi 7 giorni',
    session: (type: string, day: string, place: string, n: number) =>
      `${day}, ${type}, ${place}: ${n} ${n === 1 ? 'partecipante' : 'partecipanti'}`,
  },
} as const;

/** The digest email to one staff member, in their language. */
export function certificationDigestEmail(
  to: string,
  name: string,
  language: EmailLanguage,
  facts: DigestFacts,
): MailMessage {
  const t = TEXTS[language];
  const day = (d: string) => formatDay(d, language);
  const blocks = [
    { paragraphs: [t.hello(name)] },
    { heading: t.expiring, ...(facts.expiring.length === 0 ? { paragraphs: [t.none] } : {}) },
    ...facts.expiring.map((g) => ({
      paragraphs: [t.type(g.machineTypeName, g.items.length)],
      items: g.items.map((i) => t.item(i.memberName, i.machineName, day(i.lastDay))),
    })),
    {
      heading: t.queue,
      items: facts.openRequests.map((r) => t.open(r.machineTypeName, r.count)),
      ...(facts.openRequests.length === 0 ? { paragraphs: [t.none] } : {}),
    },
    {
      heading: t.sessions,
      items: facts.sessions.map((s) => t.session(s.machineTypeName, day(s.day), s.place, s.trainees)),
      ...(facts.sessions.length === 0 ? { paragraphs: [t.none] } : {}),
    },
  ];
  return { to, subject: t.subject, text: textEmail(blocks), html: htmlEmail(blocks) };
}
