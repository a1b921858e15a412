import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { SimulatedBoard } from '@fabomatic/board-sim';
import {
  BOARD_ACCOUNT,
  type LabMachine,
  embeddedBrokerEnv,
  labSeed,
  seedDatabase,
  uniqueClientId,
} from './support/lab';
import { type AppChild, freePort, removeTempDirs, spawnApp, stopAll, tempDir } from './support/processes';

const BOARDS = 20;
const LOAD_MS = 3000;
/** Bounded loop: at most this many uses per board (far more than fit in LOAD_MS). */
const MAX_USES = 2000;
const QUERY_TIMEOUT_MS = 2000;

/** The `stopuse` duration of use `k` on board `i`: distinct everywhere, 10 s apart on a board. */
const stopDuration = (i: number, k: number) => 20_000 * i + 10 * k + 5;

interface BoardRecord {
  readonly index: number;
  readonly machine: LabMachine;
  /** Uses whose `startuse` got a reply. */
  readonly ackedStarts: number[];
  /** Uses whose `stopuse` got a reply. */
  readonly ackedStops: number[];
}

interface SessionRow {
  readonly id: number;
  readonly topicId: string;
  readonly cardUid: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
}

describe('SIGKILL under load', () => {
  const { seed, machines } = labSeed(BOARDS, 201);
  const apps: AppChild[] = [];
  const boards: SimulatedBoard[] = [];

  afterAll(async () => {
    await Promise.all(boards.map((b) => b.close().catch(() => undefined)));
    await Promise.all(apps.map((a) => a.stop('SIGTERM')));
    await stopAll();
    removeTempDirs();
  });

  it('keeps every acknowledged startuse and stopuse across a kill -9', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'fabomatic.db');
    const databaseUrl = `sqlite:${dbFile}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...embeddedBrokerEnv(brokerPort) };
    const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;

    const first = spawnApp(httpPort, env);
    apps.push(first);
    await first.waitReady();

    const records: BoardRecord[] = machines.map((machine, index) => ({
      index,
      machine,
      ackedStarts: [],
      ackedStops: [],
    }));
    for (const record of records) {
      const board = new SimulatedBoard({
        url: brokerUrl,
        topicId: record.machine.topicId,
        clientId: uniqueClientId(`load${record.machine.topicId}`),
        ...BOARD_ACCOUNT,
      });
      await board.connect();
      boards.push(board);
    }

    let stopped = false;
    const timeouts: string[] = [];
    const loop = async (record: BoardRecord, board: SimulatedBoard): Promise<void> => {
      const { card } = record.machine;
      const options = { timeoutMs: QUERY_TIMEOUT_MS };
      for (let k = 0; k < MAX_USES && !stopped; k++) {
        const duration = stopDuration(record.index, k);
        const start = await board.startuse(card, false, options);
        if (start.status !== 'reply') return void timeouts.push(`board ${board.topicId} startuse ${k}`);
        record.ackedStarts.push(k);
        if (stopped) return;
        const inuse = await board.inuse(card, duration - 1, options);
        if (inuse.status !== 'reply') return void timeouts.push(`board ${board.topicId} inuse ${k}`);
        if (stopped) return;
        const stop = await board.stopuse(card, duration, false, options);
        if (stop.status !== 'reply') return void timeouts.push(`board ${board.topicId} stopuse ${k}`);
        record.ackedStops.push(k);
      }
    };
    const loops = records.map((record, i) => loop(record, boards[i]).catch(() => undefined));

    await sleep(LOAD_MS);
    const acksBeforeKill = records.reduce((n, r) => n + r.ackedStarts.length + r.ackedStops.length, 0);
    process.kill(first.pid, 'SIGKILL');
    const exit = await first.exited;
    stopped = true;
    expect(exit.signal).toBe('SIGKILL');
    // Queries that timed out while the app was alive (checked last, after the durability checks).
    const timeoutsWhileAlive = [...timeouts];
    // Queries in flight at the kill end with a timeout (or a rejection when the board closes).
    const grace = new AbortController();
    await Promise.race([
      Promise.all(loops),
      sleep(QUERY_TIMEOUT_MS + 3000, undefined, { signal: grace.signal }).catch(() => undefined),
    ]);
    grace.abort();
    await Promise.all(boards.splice(0).map((b) => b.close().catch(() => undefined)));

    const restarted = spawnApp(httpPort, env);
    apps.push(restarted);
    const restartAt = performance.now();
    await restarted.waitReady();
    console.log(`SIGKILL: restarted app ready in ${Math.round(performance.now() - restartAt)} ms`);

    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    let rows: SessionRow[];
    try {
      rows = db
        .prepare(
          `SELECT s.id, m.topicId, mb.cardUid, s.startedAt, s.endedAt, s.endReason
           FROM usage_sessions s JOIN machines m ON m.id = s.machineId JOIN members mb ON mb.id = s.memberId
           ORDER BY s.id`,
        )
        .all() as SessionRow[];
    } finally {
      db.close();
    }

    const problems: string[] = [];
    let checkedStarts = 0;
    let checkedStops = 0;
    for (const record of records) {
      const { topicId, card } = record.machine;
      const sessions = rows.filter((r) => r.topicId === topicId && r.cardUid === card);
      const unmatched = sessions.filter((s) => s.endReason === 'stopuse' && s.endedAt !== null);
      const spanOf = (s: SessionRow) => (s.endedAt ?? Number.NaN) - s.startedAt;
      for (const k of record.ackedStops) {
        const wantedMs = stopDuration(record.index, k) * 1000;
        const at = unmatched.findIndex((s) => Math.abs(spanOf(s) - wantedMs) <= 1000);
        if (at < 0)
          problems.push(
            `machine ${topicId}: acknowledged stopuse #${k} (${wantedMs / 1000} s) has no closed session`,
          );
        else unmatched.splice(at, 1);
        checkedStops += 1;
      }
      // Each acknowledged startuse opened its own session row (the previous use was closed first).
      checkedStarts += record.ackedStarts.length;
      if (sessions.length < record.ackedStarts.length) {
        problems.push(
          `machine ${topicId}: ${record.ackedStarts.length} acknowledged startuse but ${sessions.length} sessions`,
        );
      }
      // The last acknowledged startuse without an acknowledged stopuse: its session is open, or
      // closed by the unacknowledged stopuse that was committed just before the kill.
      const lastStart = record.ackedStarts.at(-1);
      if (lastStart !== undefined && !record.ackedStops.includes(lastStart)) {
        const latest = sessions.at(-1);
        const closedByItsStop =
          latest?.endReason === 'stopuse' &&
          Math.abs(spanOf(latest) - stopDuration(record.index, lastStart) * 1000) <= 1000;
        if (!latest || !(latest.endedAt === null || closedByItsStop)) {
          problems.push(
            `machine ${topicId}: acknowledged startuse #${lastStart} has no session (latest: ${JSON.stringify(latest)})`,
          );
        }
      }
    }
    console.log(
      `SIGKILL: ${BOARDS} boards, ${acksBeforeKill} acknowledged startuse/stopuse before the kill; checked ` +
        `${checkedStarts} acknowledged startuse and ${checkedStops} acknowledged stopuse against ${rows.length} session rows`,
    );
    expect(problems).toEqual([]);
    expect(checkedStops).toBeGreaterThan(BOARDS); // the load really ran
    expect(timeoutsWhileAlive).toEqual([]); // every query was answered within 2 s before the kill

    // The restarted app answers boards.
    const probe = new SimulatedBoard({
      url: brokerUrl,
      topicId: machines[0].topicId,
      clientId: uniqueClientId('probe'),
      ...BOARD_ACCOUNT,
    });
    await probe.connect();
    boards.push(probe);
    const answer = await probe.checkuser(machines[0].card);
    expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
  });
});
