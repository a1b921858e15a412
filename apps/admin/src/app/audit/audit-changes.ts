import type { AuditEntryDto } from '@fabomatic/contracts';

export interface AuditChange {
  readonly field: string;
  /** The value before as text; null when the field did not exist (a creation). */
  readonly before: string | null;
  readonly after: string | null;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The fields an audit entry changed, readable: a creation lists what was set, a deletion what was
 * removed, an update only the fields whose value differs.
 */
export function auditChanges(entry: Pick<AuditEntryDto, 'before' | 'after'>): readonly AuditChange[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => !(field in before && field in after) || show(before[field]) !== show(after[field]))
    .map((field) => ({
      field,
      before: entry.before && field in before ? show(before[field]) : null,
      after: entry.after && field in after ? show(after[field]) : null,
    }));
}
