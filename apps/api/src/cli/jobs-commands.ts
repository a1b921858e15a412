import type { AppConfig } from '../core/config/config.schema';
import { ErasureLedger } from '../core/database/erasure-ledger';
import { SmtpMailer } from '../core/mail/mailer';
import type { Clock } from '../core/time/clock';
import { GdprPurge, type PurgeCounts } from '../app/jobs/gdpr-purge';
import { WeeklySummary, type WeeklySummaryResult } from '../app/jobs/weekly-summary';
import { withDatabase } from './operator-database';

/** `fabomatic purge`: the scheduled GDPR purge, now (audited as `cli`). */
export function purgeNow(config: AppConfig, clock?: Clock): Promise<PurgeCounts> {
  return withDatabase(
    config,
    ({ uow, audit, clock: now }) =>
      new GdprPurge(config, uow, audit, now, new ErasureLedger(config)).run('cli'),
    clock,
  );
}

export function formatPurge(counts: PurgeCounts, config: AppConfig): string {
  const days = config.RETENTION_DAYS;
  return [
    'GDPR purge done:',
    `  ${counts.sessionsAnonymised} usage session(s) older than ${days} days re-assigned to Anonymous`,
    `  ${counts.interventionsAnonymised} intervention(s) older than ${days} days re-assigned to Anonymous`,
    `  ${counts.accessEventsAnonymised} access event(s) older than ${days} days stripped of card UID and member`,
    `  ${counts.unknownCardEventsDeleted} unknown-card scan(s) older than ${config.UNKNOWN_CARD_RETENTION_DAYS} days deleted`,
    `  ${counts.membersErased} member(s) deleted over ${config.DELETED_MEMBER_GRACE_DAYS} days ago erased`,
    ...(config.ACCESS_EVENTS_RETENTION_MONTHS === undefined
      ? []
      : [
          `  ${counts.accessEventsExpired} access event(s) older than ${config.ACCESS_EVENTS_RETENTION_MONTHS} months deleted`,
        ]),
  ].join('\n');
}

/** `fabomatic weekly-summary [--dry-run]`: the last full week's summary, now. */
export async function weeklySummaryNow(
  config: AppConfig,
  dryRun: boolean,
  clock?: Clock,
): Promise<WeeklySummaryResult> {
  const mailer = new SmtpMailer(config);
  if (!dryRun && !mailer.configured) {
    throw new Error('SMTP_URL is not configured: nothing sent (--dry-run shows who would get what)');
  }
  return withDatabase(
    config,
    ({ uow, clock: now }) => new WeeklySummary(config, uow, mailer, now).run({ dryRun }),
    clock,
  );
}

export function formatWeeklySummary(result: WeeklySummaryResult, dryRun: boolean): string {
  const lines = [
    `weekly summary for ${result.firstDay} .. ${result.lastDay} (${result.timeZone}): ${result.recipients.length} recipient(s)` +
      (dryRun ? ' (dry run: nothing sent)' : `, ${result.sent} sent, ${result.failed} failed`),
    ...result.recipients.map(
      (r) => `  ${r.email}  [${r.language}${r.withCardUids ? ', with card UIDs' : ''}]  ${r.subject}`,
    ),
  ];
  return lines.join('\n');
}
