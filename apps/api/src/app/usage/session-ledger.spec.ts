import { DataSource } from 'typeorm';
import { SQLITE_MIGRATIONS } from '../../core/database/migrations';
import { SqliteRunner } from '../../core/database/sql';
import { DUPLICATE_STOP_WINDOW_MS, type SessionChange, SessionLedger } from './session-ledger';

/**
 * The session and hour-meter rules of the board's startuse / inuse / stopuse (board protocol §5,
 * issue 10's replays), on an in-memory SQLite with the product's own migrations: no app, no broker.
 * Each message is one ledger at the time it arrives, as the board path does (a lab clock moved by hand).
 */
const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const MINUTE = 60_000;

interface StoredSession {
  memberId: number;
  startedAt: number;
  lastSeenAt: number;
  endedAt: number | null;
  endReason: string | null;
  replay: number;
}

describe('SessionLedger', () => {
  let dataSource: DataSource;
  let sql: SqliteRunner;
  let lucia: number;
  let mario: number;
  let machineId: number;
  let now: number;

  /** Every test has a database of its own (the product's migrations), a machine, two members, T0. */
  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [],
      migrations: SQLITE_MIGRATIONS,
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'all' });
    sql = SqliteRunner.of(dataSource);
    const id = async (statement: string, params: (string | number)[]) =>
      (await sql.get<{ id: number }>(`${statement} RETURNING "id"`, params))!.id;
    const role = await id('INSERT INTO "roles" ("name") VALUES (?)', ['Member']);
    lucia = await id('INSERT INTO "members" ("name", "roleId") VALUES (?, ?)', ['Lucia', role]);
    mario = await id('INSERT INTO "members" ("name", "roleId") VALUES (?, ?)', ['Mario', role]);
    machineId = await id('INSERT INTO "machines" ("topicId", "name") VALUES (?, ?)', ['1', 'Laser']);
    now = T0;
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  /** The ledger of one message arriving now (Europe/Rome: the default lab zone). */
  const ledger = () => new SessionLedger(sql, now, 'Europe/Rome');
  const start = (member: number, replay = false) => ledger().start(machineId, member, replay);
  const heartbeat = (member: number, seconds: number) => ledger().heartbeat(machineId, member, seconds);
  const stop = (member: number, seconds: number, replay = false) =>
    ledger().stop(machineId, member, seconds, replay);
  const sessions = () =>
    sql.all<StoredSession>(
      `SELECT "memberId", "startedAt", "lastSeenAt", "endedAt", "endReason", "replay" FROM "usage_sessions"
       WHERE "machineId" = ? ORDER BY "id"`,
      [machineId],
    );
  const meterSeconds = async () =>
    Number(
      (await sql.get<{ s: number }>('SELECT "usageSeconds" AS s FROM "machines" WHERE "id" = ?', [
        machineId,
      ]))!.s,
    );
  const lengths = async () => (await sessions()).map((s) => (s.endedAt! - s.startedAt) / 1000);
  const kinds = (changes: SessionChange[]) => changes.map((c) => c.kind);

  describe('a live use', () => {
    it('opens on start, refreshes on heartbeat and closes on stop at start + duration', async () => {
      expect((await start(lucia)).kind).toBe('opened');
      now += 30_000;
      expect((await heartbeat(lucia, 30)).kind).toBe('refreshed');
      expect(await sessions()).toEqual([
        {
          memberId: lucia,
          startedAt: T0,
          lastSeenAt: T0 + 30_000,
          endedAt: null,
          endReason: null,
          replay: 0,
        },
      ]);
      expect(await meterSeconds()).toBe(0);
      now = T0 + 125_000;
      expect((await stop(lucia, 125)).kind).toBe('closed');
      expect(await sessions()).toEqual([
        {
          memberId: lucia,
          startedAt: T0,
          lastSeenAt: T0 + 125_000,
          endedAt: T0 + 125_000,
          endReason: 'stopuse',
          replay: 0,
        },
      ]);
      expect(await meterSeconds()).toBe(125);
    });

    it('moves the start back when the heartbeat counts longer than the session', async () => {
      await start(lucia);
      now += 60_000;
      await heartbeat(lucia, 600);
      const [moved] = await sessions();
      expect(moved).toMatchObject({ startedAt: now - 600_000, lastSeenAt: now, endedAt: null });
      now += 30_000;
      await heartbeat(lucia, 630);
      expect((await sessions())[0]?.startedAt).toBe(moved?.startedAt);
    });

    it('places the end at start + duration, never in the future', async () => {
      await start(lucia);
      now += 100_000;
      await stop(lucia, 40);
      expect(await sessions()).toMatchObject([{ startedAt: T0, endedAt: T0 + 40_000 }]);
      expect(await meterSeconds()).toBe(40);
      now += 10_000;
      await start(mario);
      now += 20_000;
      // The board counts 50 s of a use the backend saw start 20 s ago: the start moves back.
      await stop(mario, 50);
      expect((await sessions())[1]).toMatchObject({ memberId: mario, startedAt: now - 50_000, endedAt: now });
      expect(await meterSeconds()).toBe(90);
    });

    it('keeps sessions longer than 24 hours', async () => {
      await stop(mario, 200_000, true);
      expect(await sessions()).toMatchObject([{ endedAt: T0, startedAt: T0 - 200_000_000, replay: 1 }]);
      expect(await meterSeconds()).toBe(200_000);
    });

    it("does not close card A's session on a stop from card B", async () => {
      await start(lucia);
      now += 10_000;
      await stop(mario, 10);
      const open = (await sessions()).find((s) => s.memberId === lucia);
      expect(open).toMatchObject({ endedAt: null, endReason: null });
    });

    it("closes another member's open session at its last heartbeat on start", async () => {
      await start(lucia);
      now += 30_000;
      await heartbeat(lucia, 30);
      now += 45_000;
      const change = await start(mario);
      expect(change).toMatchObject({
        kind: 'opened',
        superseded: { memberId: lucia, endReason: 'superseded' },
      });
      expect(await sessions()).toEqual([
        {
          memberId: lucia,
          startedAt: T0,
          lastSeenAt: T0 + 30_000,
          endedAt: T0 + 30_000,
          endReason: 'superseded',
          replay: 0,
        },
        {
          memberId: mario,
          startedAt: T0 + 75_000,
          lastSeenAt: T0 + 75_000,
          endedAt: null,
          endReason: null,
          replay: 0,
        },
      ]);
      expect(await meterSeconds()).toBe(30);
    });

    it('recreates a missing session from a heartbeat, duration seconds back', async () => {
      expect((await heartbeat(lucia, 90)).kind).toBe('opened');
      expect(await sessions()).toMatchObject([{ memberId: lucia, startedAt: T0 - 90_000, endedAt: null }]);
    });
  });

  describe('duplicates', () => {
    it('recognises repeated and replayed starts and stops, counting the use once', async () => {
      expect(kinds([await start(lucia), await start(lucia), await start(lucia, true)])).toEqual([
        'opened',
        'duplicate',
        'duplicate',
      ]);
      now += 600_000;
      const stops = [await stop(lucia, 600), await stop(lucia, 600, true), await stop(lucia, 600)];
      expect(kinds(stops)).toEqual(['closed', 'duplicate', 'duplicate']);
      expect((await start(lucia, true)).kind).toBe('duplicate');
      expect(await sessions()).toMatchObject([
        { startedAt: T0, endedAt: T0 + 600_000, endReason: 'stopuse' },
      ]);
      expect(await meterSeconds()).toBe(600);
    });

    it('recognises a replayed stop days later, and not after the duplicate window', async () => {
      await start(lucia);
      now += 300_000;
      await stop(lucia, 300);
      now += DUPLICATE_STOP_WINDOW_MS - 1000;
      expect((await stop(lucia, 300, true)).kind).toBe('duplicate');
      expect(await meterSeconds()).toBe(300);
      now += 2000;
      // Out of the window it can only be a use of its own, ending now.
      expect((await stop(lucia, 300, true)).kind).toBe('closed');
      expect(await lengths()).toEqual([300, 300]);
      expect(await meterSeconds()).toBe(600);
    });
  });

  describe('sessions closed early', () => {
    it('closes sessions without heartbeat, and re-opens one the board shows still in use', async () => {
      await start(lucia);
      now += 61 * MINUTE;
      const closed = await ledger().closeOrphans(now - 60 * MINUTE);
      expect(closed.map((s) => s.endReason)).toEqual(['orphan']);
      expect(await sessions()).toMatchObject([{ endedAt: T0, lastSeenAt: T0, endReason: 'orphan' }]);
      expect((await heartbeat(lucia, 61 * 60)).kind).toBe('reopened');
      expect(await sessions()).toMatchObject([{ startedAt: T0, endedAt: null, endReason: null }]);
      now += MINUTE;
      await stop(lucia, 62 * 60);
      expect(await lengths()).toEqual([62 * 60]);
      expect(await meterSeconds()).toBe(62 * 60);
    });

    it('corrects an orphan-closed session from a replayed stop instead of adding one', async () => {
      await start(mario);
      now += 30_000;
      await heartbeat(mario, 30);
      now += 3 * 3600_000;
      await ledger().closeOrphans(now - 60 * MINUTE);
      expect(await meterSeconds()).toBe(30);
      expect((await stop(mario, 2 * 3600, true)).kind).toBe('corrected');
      expect(await sessions()).toMatchObject([{ startedAt: T0, endReason: 'stopuse', replay: 1 }]);
      expect(await lengths()).toEqual([2 * 3600]);
      expect(await meterSeconds()).toBe(2 * 3600);
    });

    it('closes the open sessions of a member now, as staff did, their hours counted', async () => {
      await start(lucia);
      now += 20 * MINUTE;
      const closed = await ledger().closeOpenNow('memberId', lucia);
      expect(closed.map((s) => s.endReason)).toEqual(['manual']);
      expect(await lengths()).toEqual([20 * 60]);
      expect(await meterSeconds()).toBe(20 * 60);
    });
  });

  describe('a replayed offline buffer', () => {
    /** The board replays its buffer oldest first, startuse then stopuse, each after the previous reply. */
    async function replayBuffer(member: number, durations: readonly number[]): Promise<SessionChange[]> {
      const changes: SessionChange[] = [];
      for (const duration of durations) {
        now += 40;
        changes.push(await start(member, true));
        now += 40;
        changes.push(await stop(member, duration, true));
      }
      return changes;
    }

    it('keeps each of 20 buffered sessions, in order, with the hour meter exact', async () => {
      const durations = Array.from({ length: 20 }, (_, i) => 61 + i);
      await replayBuffer(lucia, durations);
      expect(await lengths()).toEqual(durations);
      const stored = await sessions();
      expect(stored.every((s) => s.replay === 1 && s.endReason === 'stopuse')).toBe(true);
      // In the order the board used the machine: each ends after the one before.
      expect(stored.every((s, i) => i === 0 || s.endedAt! > stored[i - 1].endedAt!)).toBe(true);
      expect(await meterSeconds()).toBe(durations.reduce((a, b) => a + b, 0));
    });

    it('keeps 40 buffered sessions of equal and nearly equal durations', async () => {
      const durations = Array.from({ length: 40 }, (_, i) => [120, 120, 121, 119, 120][i % 5] ?? 120);
      await replayBuffer(lucia, durations);
      expect(await lengths()).toEqual(durations);
      expect(await meterSeconds()).toBe(durations.reduce((a, b) => a + b, 0));
    });

    it('follows a live session with the buffered ones, then ignores the replay of the last stop', async () => {
      await start(lucia);
      now += 300_000;
      await stop(lucia, 300);
      now += 5 * MINUTE;
      await replayBuffer(lucia, [300, 300]);
      // The last stop's reply was lost: the board sends it again, alone.
      now += 1000;
      expect((await stop(lucia, 300, true)).kind).toBe('duplicate');
      expect(await lengths()).toEqual([300, 300, 300]);
      expect(await meterSeconds()).toBe(900);
    });

    it('counts a buffered session of a live stop replayed later only once', async () => {
      await start(mario);
      now += 45_000;
      await stop(mario, 45);
      now += MINUTE;
      // The live stop's reply was lost; the replay comes with the next buffered use.
      expect((await stop(mario, 45, true)).kind).toBe('duplicate');
      expect(kinds(await replayBuffer(mario, [45]))).toEqual(['duplicate', 'closed']);
      expect(await lengths()).toEqual([45, 45]);
      expect(await meterSeconds()).toBe(90);
    });

    it('opens nothing for a lone replayed start after a finished use', async () => {
      await start(lucia);
      now += 120_000;
      await stop(lucia, 120);
      now += MINUTE;
      expect((await start(lucia, true)).kind).toBe('duplicate');
      expect((await sessions()).every((s) => s.endedAt !== null)).toBe(true);
      // Its pair window passed: a later replayed stop of the same duration is the old one again.
      now += 2 * MINUTE;
      expect((await stop(lucia, 120, true)).kind).toBe('duplicate');
      expect(await meterSeconds()).toBe(120);
    });
  });
});
