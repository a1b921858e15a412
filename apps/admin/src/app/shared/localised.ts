import { formatHours as formatHoursOf } from '../core/hours';

/** Dates and numbers in the portal language, and the date filters of the activity pages. */

/** A date and time, e.g. `12 mar 2026, 14:05` in Italian. */
export function formatDateTime(iso: string | null, language: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | null, language: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso));
}

export function formatNumber(value: number, language: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** Seconds as hours, rounded as every hour count is (see core/hours). */
export function formatHours(seconds: number | null, language: string): string {
  return seconds === null ? '' : formatHoursOf(seconds / 3600, language);
}

/** Bytes in the largest sensible unit, e.g. `12.5 MB`. */
export function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

/** The instant a local calendar day (`YYYY-MM-DD`) starts, as ISO; `after` gives the next day's start. */
export function dayStart(date: string, after = false): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (after ? 1 : 0));
  return Number.isNaN(day.getTime()) ? null : day.toISOString();
}

/**
 * The API query of a list whose URL keeps `from`/`to` as local days: `from` becomes the start of
 * its day and `to` the start of the next, so the range includes the whole of both days.
 */
export function withDayRange(query: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = { ...query };
  for (const [key, after] of [
    ['from', false],
    ['to', true],
  ] as const) {
    const value = query[key];
    if (value === undefined) continue;
    const instant = dayStart(value, after);
    if (instant) params[key] = instant;
    else delete params[key];
  }
  return params;
}

/** An ISO instant as the value of a `datetime-local` input (local time, minutes). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` or `date` input's value as an ISO instant, or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A text field of a submitted form, trimmed ('' when absent). */
export function fieldText(data: FormData, key: string): string {
  const value = data.get(key);
  return typeof value === 'string' ? value.trim() : '';
}
