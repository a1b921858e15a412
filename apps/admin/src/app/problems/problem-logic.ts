import {
  hasAccess,
  type PortalAccess,
  PROBLEM_PHOTO_MAX_BYTES,
  PROBLEM_PHOTO_TYPES,
  type ProblemReportDto,
  type ReportableMachineDto,
} from '@fabomatic/contracts';
import { type Message, message } from '../shared/message';

/** The photo limit as the messages say it. */
export const PHOTO_MAX_MB = PROBLEM_PHOTO_MAX_BYTES / (1024 * 1024);

/** What is wrong with a chosen photo (type, then size), or null when the API would take it. */
export function photoProblem(file: { readonly size: number; readonly type: string }): Message | null {
  if (!(PROBLEM_PHOTO_TYPES as readonly string[]).includes(file.type))
    return message('problems.photo.wrong-type');
  if (file.size > PROBLEM_PHOTO_MAX_BYTES)
    return message('problems.photo.too-big', {
      max: PHOTO_MAX_MB,
      size: (Math.ceil((file.size / (1024 * 1024)) * 10) / 10).toFixed(1),
    });
  return null;
}

/** Whether the user may declare this machine out of order: staff always, members as its type allows. */
export function mayDeclareOutOfOrder(
  machine: Pick<ReportableMachineDto, 'mayDeclareOutOfOrder'> | null | undefined,
  access: PortalAccess,
): boolean {
  if (hasAccess(access, 'read-only')) return true;
  return machine?.mayDeclareOutOfOrder ?? false;
}

/** What the signed-in user may do with a report. */
export interface ProblemActions {
  /** Resolve it with a resolution text (manager and up, while open). */
  readonly resolve: boolean;
  /** Switch its hard lock (manager and up, an open out-of-order report). */
  readonly hardLock: boolean;
  /** Cancel it (its reporter, while open). */
  readonly cancel: boolean;
  /** Stop the machine's running session remotely (manager and up, while the report is open). */
  readonly stopSession: boolean;
}

export function problemActions(
  report: Pick<ProblemReportDto, 'state' | 'severity' | 'mine'>,
  access: PortalAccess,
  machineInUse = false,
): ProblemActions {
  const open = report.state === 'open';
  const manager = hasAccess(access, 'manager');
  return {
    resolve: open && manager,
    hardLock: open && manager && report.severity === 'out-of-order',
    cancel: open && report.mine,
    stopSession: open && manager && machineInUse,
  };
}

const STATE_ORDER = { open: 0, resolved: 1, cancelled: 2 } as const;
const SEVERITY_ORDER = { 'out-of-order': 0, note: 1 } as const;

/** Open reports first (out of order before notes), then newest first. */
export function openFirst(reports: readonly ProblemReportDto[]): ProblemReportDto[] {
  return [...reports].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.state === 'open' ? SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] : 0) ||
      Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}

/** The open out-of-order reports among `reports`, oldest first (the dashboard alert). */
export function openOutOfOrder(reports: readonly ProblemReportDto[]): ProblemReportDto[] {
  return reports
    .filter((report) => report.state === 'open' && report.severity === 'out-of-order')
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** The list with one report replaced (or added) by a pushed one. */
export function withReport(
  list: readonly ProblemReportDto[],
  report: ProblemReportDto,
): readonly ProblemReportDto[] {
  const index = list.findIndex((r) => r.id === report.id);
  return index < 0 ? [...list, report] : list.map((r, i) => (i === index ? report : r));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function unit(value: number, name: 'day' | 'hour' | 'minute', language: string): string {
  return new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
}

/** A duration in the portal language, two units at most: `2 days 3 hr`, `3 hr 5 min`, `12 min`. */
export function formatDuration(ms: number, language: string): string {
  const total = Math.max(0, Math.round(ms / MINUTE)) * MINUTE;
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  const minutes = Math.floor((total % HOUR) / MINUTE);
  if (days > 0)
    return hours > 0
      ? `${unit(days, 'day', language)} ${unit(hours, 'hour', language)}`
      : unit(days, 'day', language);
  if (hours > 0)
    return minutes > 0
      ? `${unit(hours, 'hour', language)} ${unit(minutes, 'minute', language)}`
      : unit(hours, 'hour', language);
  return unit(minutes, 'minute', language);
}

/** How long ago, in the portal language: `5 minutes ago`, `yesterday`, `3 days ago`. */
export function formatAge(iso: string, now: number, language: string): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (elapsed < MINUTE) return format.format(0, 'second');
  if (elapsed < HOUR) return format.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return format.format(-Math.floor(elapsed / HOUR), 'hour');
  return format.format(-Math.floor(elapsed / DAY), 'day');
}
