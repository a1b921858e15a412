import { Column, type ColumnOptions, type ValueTransformer } from 'typeorm';

/**
 * Domain times are stored as epoch milliseconds (bigint) on every driver: the same column type on
 * SQLite and PostgreSQL, cheap range queries and sums, and Dates in the entities.
 */
const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null) =>
    value === null || value === undefined ? null : new Date(Number(value)),
};

export function TimeColumn(options: Pick<ColumnOptions, 'nullable' | 'name'> = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: epochMs, ...options });
}

/** Integers stored as bigint (counters of seconds) come back as numbers on PostgreSQL too. */
const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export function CounterColumn(options: Pick<ColumnOptions, 'default' | 'name'> = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: bigintNumber, default: 0, ...options });
}
