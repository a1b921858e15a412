import type { EntityManager } from 'typeorm';
import { type SqlValue, sqlRunnerOf } from './sql';
import type { PageWarmer } from './page-warmer';
import type { UnitOfWork } from './unit-of-work';

/**
 * Rows one transaction of a sweep reads at most (while the rows read are mostly passed over, as in a
 * nightly purge with little to do): the board path waits behind one batch at most.
 */
export const SWEEP_READ_BATCH = 1_000;

/**
 * Rows one transaction of a sweep changes at most. What a row costs depends on the database and on
 * what the page cache holds: on the ten-year lab, re-assigning a session to Anonymous with its report
 * totals cost 0.06 ms warm and up to 3.4 ms when its index pages had to be read from disk (a first
 * batch of 38 held the boards 130 ms). So the next batch is sized from the last one's cost a row, to
 * take about SWEEP_TRANSACTION_MS, growing by half at most; it starts at the smallest.
 */
export const SWEEP_WRITE_BATCH = { min: 4, max: 256 } as const;

/**
 * What one transaction of a sweep should hold the event loop (and the boards behind it), ms. Rows
 * read from disk can make one take several times longer, and it may come just before a GC and an
 * export's chunk: at 15 ms such stretches reached 50 – 86 ms during a ten-year XLSX export.
 */
const SWEEP_TRANSACTION_MS = 8;

/**
 * The pause after a transaction of a sweep, in multiples of the time it took: a sweep takes a third
 * of the event loop at most, and leaves the disk and the CPU to the boards and the portal the rest of
 * the time.
 */
const PAUSE_FACTOR = 2;

/**
 * Rows a sweep changes between two checkpoints it asks for. A deleted session dirties ~6 pages (the
 * table and its indexes), so this keeps a sweep's share of the WAL to a few thousand pages, under
 * the writer's 10,000-page safety threshold; a checkpoint after every transaction made the sweep's
 * COMMITs wait on the checkpoints' syncs (30 – 54 ms).
 */
const CHECKPOINT_ROWS = 512;

/** The longest pause between two transactions of a sweep. */
const MAX_PAUSE_MS = 500;

/** The next transaction's rows: about SWEEP_TRANSACTION_MS at the last one's cost a row. */
export function nextWriteBatch(current: number, changed: number, tookMs: number): number {
  // A transaction that changed nothing (rows passed over) says nothing of what a change costs.
  if (changed === 0) return current;
  const fits = Math.floor((SWEEP_TRANSACTION_MS * changed) / Math.max(tookMs, 0.001));
  const { min, max } = SWEEP_WRITE_BATCH;
  return Math.max(min, Math.min(max, Math.ceil(current * 1.5), fits));
}

interface SweepBatch {
  /** Every row read up to the last one taken was wanted. */
  readonly dense: boolean;
  readonly more: boolean;
  readonly last: Cursor | null;
  readonly changed: number;
}

export interface SweepSpec<R extends object> {
  readonly table: string;
  /** The time column the rows are walked by (with the id): an index must lead with it after `where`'s equalities. */
  readonly time: string;
  /** The other columns `wanted` and `change` need (SQL list; none by default). */
  readonly columns?: string;
  readonly where: string;
  readonly params: readonly SqlValue[];
  /** Which of the rows read `change` gets, the others passed over (default: every row). */
  readonly wanted?: (row: R) => boolean;
  /** Changes the rows given, in the sweep's transaction; answers how many it changed. */
  readonly change: (em: EntityManager, rows: readonly (R & { id: number })[]) => Promise<number>;
  /**
   * Reads ahead the pages `change` touches beyond the rows and their index entries (which the sweep
   * reads ahead itself): see {@link PageWarmer}.
   */
  readonly warm?: (warmer: PageWarmer, rows: readonly (R & { id: number })[]) => Promise<unknown>;
  /** Stops the sweep before its next transaction (the app stopping): it answers what it changed. */
  readonly signal?: AbortSignal;
}

type Cursor = { readonly at: number; readonly id: number };
type ReadRow<R> = R & { id: number | string; at: number | string };

/** The rows of a batch that `change` gets, up to `limit`, and where the next batch goes on. */
function pick<R extends object>(
  rows: readonly ReadRow<R>[],
  wanted: (row: R) => boolean,
  limit: number,
  readLimit: number,
): { picked: (R & { id: number })[]; dense: boolean; more: boolean; last: Cursor | null } {
  const picked: (R & { id: number })[] = [];
  let end = rows.length;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!wanted(row)) continue;
    picked.push({ ...row, id: Number(row.id) });
    if (picked.length === limit) {
      end = i + 1;
      break;
    }
  }
  const last = rows[end - 1];
  return {
    picked,
    dense: picked.length === end,
    more: end < rows.length || rows.length === readLimit,
    last: last ? { at: Number(last.at), id: Number(last.id) } : null,
  };
}

/**
 * Walks the rows of `table` that `where` selects in the order of `time` then id, in small
 * transactions: each reads at most SWEEP_READ_BATCH rows and hands `change` at most SWEEP_WRITE_BATCH
 * (adapted to what a transaction takes) of the ones `wanted` picks, whatever the history's age and
 * how much is left to change. Between two transactions the event loop is left alone twice as long as
 * the last one took, and the WAL's due checkpoint is waited for (UnitOfWork.walSettled), so the boards
 * wait behind one small transaction at most and the portal keeps most of the loop (one transaction
 * over ten years of history held every board for minutes, docs/performance.md). On a SQLite file,
 * each batch is first read ahead in the portal's reader thread, its rows with their index entries
 * and what `warm` names (see PageWarmer), so that its transaction does not read them from disk.
 * Answers how many rows `change` changed. A sweep stopped half-way (`signal`, or the process) is finished by running
 * it again.
 */
export async function pacedSweep<R extends object>(uow: UnitOfWork, spec: SweepSpec<R>): Promise<number> {
  const { table, time, where, params, change } = spec;
  const wanted = spec.wanted ?? (() => true);
  const columns = spec.columns ? `, ${spec.columns}` : '';
  let after: Cursor | null = null;
  let changed = 0;
  let writeBatch: number = uow.writesBlockEventLoop ? SWEEP_WRITE_BATCH.min : SWEEP_WRITE_BATCH.max;
  // While the rows read are all wanted (a member's taps), read only as many as will change: a
  // thousand rows spread over the table cost 141 ms from disk, for a batch of a few.
  let dense = true;
  let sinceCheckpoint = 0;
  for (;;) {
    if (spec.signal?.aborted) return changed;
    const limit = writeBatch;
    const readLimit = dense ? limit : SWEEP_READ_BATCH;
    const cursor: Cursor | null = after;
    const keyset = cursor ? ` AND ${time} >= ? AND (${time} > ? OR "id" > ?)` : '';
    const select = `SELECT "id", ${time} AS "at"${columns} FROM "${table}" WHERE ${where}${keyset}
         ORDER BY ${time}, "id" LIMIT ?`;
    const selectParams = [...params, ...(cursor ? [cursor.at, cursor.at, cursor.id] : []), readLimit];
    const warmer = uow.pageWarmer;
    if (warmer) {
      // The same batch read ahead in a reader thread (it may differ a little by the time the
      // transaction reads it again: only how long the transaction takes depends on it).
      const ahead = await warmer.select<ReadRow<R>>(select, selectParams);
      const { picked } = pick(ahead ?? [], wanted, limit, readLimit);
      await warmer.rows(
        table,
        picked.map((row) => row.id),
      );
      if (spec.warm && picked.length > 0) await spec.warm(warmer, picked);
    }
    const started = performance.now();
    const batch: SweepBatch = await uow.run(async (em): Promise<SweepBatch> => {
      const rows = await sqlRunnerOf(em).all<ReadRow<R>>(select, selectParams);
      const { picked, dense, more, last } = pick(rows, wanted, limit, readLimit);
      return { dense, more, last, changed: picked.length > 0 ? await change(em, picked) : 0 };
    });
    changed += batch.changed;
    if (!batch.more || !batch.last) return changed;
    dense = batch.dense;
    after = batch.last;
    const took = performance.now() - started;
    // On PostgreSQL a transaction does not hold the event loop: the largest batch, paced all the same.
    writeBatch = uow.writesBlockEventLoop
      ? nextWriteBatch(writeBatch, batch.changed, took)
      : SWEEP_WRITE_BATCH.max;
    const pause = Math.min(MAX_PAUSE_MS, PAUSE_FACTOR * took);
    // Never faster than the WAL's checkpoints (SQLite): a changed row can dirty several pages (its
    // indexes, the totals), so a checkpoint is made due every CHECKPOINT_ROWS changed rows.
    sinceCheckpoint += batch.changed;
    if (sinceCheckpoint >= CHECKPOINT_ROWS) {
      uow.checkpointSoon();
      sinceCheckpoint = 0;
    }
    await uow.walSettled();
    await new Promise<void>((resolve) => setTimeout(resolve, pause));
  }
}
