import type { AccessEventDto, AccessEventMessage, MemberDto, Page } from '@fabomatic/contracts';
import type { QueryResult } from '@fabomatic/board-sim';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createScratchDatabase } from '../../core/database/scratch-database';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { startApp } from '../../main';
import type { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { csvRows } from '../../testing/exports';
import { adminClient } from '../../testing/portal';
import {
  BOARD_ACCOUNT,
  startTestApp,
  type TestApp,
  TestClock,
  type TestDatabase,
  testAppConfig,
} from '../../testing/test-app';
import { GdprPurge } from '../jobs/gdpr-purge';
import { AccessEvent } from './access-event.entity';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ACCESS_EVENT_INBOX_MOVE_EVERY_MS, AccessEventInbox } from './access-event-inbox';
import { type AccessEntry, recordAccessEvent } from './access-log';
import { UnknownCard } from './unknown-card.entity';

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null) throw new Error(`expected a reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

/** The timer's period in these tests: only the reads and transactions that need the rows move them. */
const NEVER = { provide: ACCESS_EVENT_INBOX_MOVE_EVERY_MS, useValue: 3_600_000 };

const inboxRows = async (dataSource: DataSource): Promise<number> => {
  const [row] = await dataSource.query<{ n: number | string }[]>(
    'SELECT COUNT(*) AS "n" FROM "access_event_inbox"',
  );
  return Number(row?.n);
};

/**
 * ADR 0010: on SQLite the boards' access events are committed to an inbox and moved to
 * `access_events` in batches; whatever reads or changes the history sees every acknowledged tap.
 * PostgreSQL writes the history directly (its inbox stays empty), with the same behaviour.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('access events inbox on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  /** Rows the boards' taps leave in the inbox until something moves them. */
  const staged = (n: number) => (database === 'sqlite' ? n : 0);

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED, providers: [NEVER] });
    admin = await adminClient(lab);
  });
  afterAll(() => lab?.stop());

  const live = async (work: () => Promise<void>): Promise<AccessEventMessage[]> => {
    const events: AccessEventMessage[] = [];
    const unsubscribe = lab.running.app.get(EventBus).subscribe('access-event', (e) => events.push(e));
    try {
      await work();
    } finally {
      unsubscribe();
    }
    return events;
  };
  // Each test starts from an empty inbox (an unknown card's row may stay there after a test).
  beforeEach(() => lab.running.app.get(AccessEventInbox).settle());
  const listed = async (query: string) =>
    (await admin.get<Page<AccessEventDto>>(`/api/access-events?${query}`)).body.items;

  it('lists the taps a board was just answered for, with the ids the live feed gave them', async () => {
    await lab.dataSource.query('DELETE FROM "access_events"');
    const board = await lab.board('1');
    const events = await live(async () => {
      expect(await reply(board.checkuser(CARDS.mario))).toMatchObject({ is_valid: true });
      expect(await reply(board.checkuser(CARDS.unknown))).toMatchObject({ is_valid: false });
      expect(await reply(board.checkuser(CARDS.disabled))).toMatchObject({ is_valid: false });
    });
    expect(events).toHaveLength(3);
    expect(await inboxRows(lab.dataSource)).toBe(staged(3));
    const items = await listed('pageSize=10');
    expect(items.map((e) => [e.id, e.cardUid, e.reason])).toEqual(
      [...events].reverse().map((e) => [e.id, e.cardUid, e.reason]),
    );
    expect(items.map((e) => e.reason)).toEqual(['member-disabled', 'unknown-card', 'granted']);
    expect(await inboxRows(lab.dataSource)).toBe(0);
  });

  it('exports the taps a board was just answered for', async () => {
    const board = await lab.board('012');
    await reply(board.checkuser('E1E1E1E1'));
    await reply(board.checkuser(CARDS.lucia));
    expect(await inboxRows(lab.dataSource)).toBe(staged(2));
    const csv = await admin.get<string>('/api/access-events/export?format=csv&q=e1e1e1e1');
    expect(csvRows(csv.body).map((r) => r['Card'])).toEqual(['e1e1e1e1']);
    const all = csvRows((await admin.get<string>('/api/access-events/export?format=csv')).body);
    expect(all.slice(0, 2).map((r) => r['Card'])).toEqual([CARDS.lucia, 'e1e1e1e1']);
  });

  it('gives ids in the order of the writes, around a row written to the history directly', async () => {
    const board = await lab.board('1');
    const [first] = await live(async () => void (await reply(board.checkuser(CARDS.lucia))));
    const direct = await lab.dataSource.getRepository(AccessEvent).insert({
      occurredAt: new Date(lab.clock.now().getTime()),
      topicId: '1',
      machineId: null,
      cardUid: 'c0c0c0c0',
      memberId: null,
      action: 'checkuser',
      reason: 'unknown-card',
      granted: false,
      level: 0,
    });
    const directId = Number(direct.identifiers[0]?.['id']);
    lab.clock.advance(1000);
    const [last] = await live(async () => void (await reply(board.checkuser(CARDS.mario))));
    expect(first && last).toBeTruthy();
    expect(directId).toBeGreaterThan(first?.id ?? Infinity);
    expect(last?.id).toBeGreaterThan(directId);
    const ids = (await listed('pageSize=3')).map((e) => e.id);
    expect(ids).toEqual([last?.id, directId, first?.id]);
  });

  it('gives each event of one commit its own id, around direct writes and a unit that fails', async () => {
    const uow = lab.running.app.get(UnitOfWork);
    const inbox = lab.running.app.get(AccessEventInbox);
    const entry = (cardUid: string): AccessEntry => ({
      occurredAt: lab.clock.now().getTime(),
      topicId: '1',
      machine: null,
      member: null,
      cardUid,
      action: 'checkuser',
      reason: 'member-disabled',
      granted: false,
      level: 0,
      replay: false,
    });
    // Queued in one tick, so that on SQLite they share a commit: board taps, a remote command's
    // event written to the history directly, and (second round) a unit that fails after doing both,
    // after taps whose ids were only kept in memory: the group runs again unit by unit, and the
    // failed unit's rollback must not take the counter back below them.
    const round = async (prefix: string, failing: boolean) => {
      const cards = Array.from({ length: 8 }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
      const units = cards.map((card, i) =>
        uow.runSql(async (sql, events) => {
          if (i === 5) return recordAccessEvent(sql, events, entry(card));
          const written = await inbox.record(sql, events, entry(card));
          if (failing && i === 2) {
            await recordAccessEvent(sql, events, entry(`${prefix}ffffff`));
            throw new Error('this unit fails');
          }
          return written;
        }),
      );
      const settled = await Promise.allSettled(units);
      expect(settled.map((s) => s.status)).toEqual(
        cards.map((_, i) => (failing && i === 2 ? 'rejected' : 'fulfilled')),
      );
      const ids = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.id] : []));
      expect(new Set(ids).size).toBe(ids.length);
      // One writer: ids in the order of the units.
      if (database === 'sqlite') expect(ids).toEqual([...ids].sort((a, b) => a - b));
      await inbox.settle();
      const stored = await lab.dataSource.query<{ id: number; cardUid: string }[]>(
        `SELECT "id", "cardUid" FROM "access_events" WHERE "cardUid" LIKE '${prefix}%' ORDER BY "id"`,
      );
      expect(stored.map((r) => [Number(r.id), r.cardUid])).toEqual(
        settled
          .flatMap((s, i) => (s.status === 'fulfilled' ? [[s.value.id, cards[i]]] : []))
          .sort(([a], [b]) => Number(a) - Number(b)),
      );
      return Math.max(...ids);
    };
    const first = await round('a1', false);
    const second = await round('a2', true);
    expect(second).toBeGreaterThan(first);
    // The counter was written back: a row written afterwards gets a later id.
    const direct = await lab.dataSource
      .getRepository(AccessEvent)
      .insert({ ...entry('a3000000'), occurredAt: new Date() });
    expect(Number(direct.identifiers[0]?.['id'])).toBeGreaterThan(second);
  });

  it("adds an unknown card's repeated taps to one row, which stays in the inbox while it may take more", async () => {
    const board = await lab.board('3');
    const inbox = lab.running.app.get(AccessEventInbox);
    const taps = await live(async () => {
      await reply(board.checkuser('C0FFEE11'));
      lab.clock.advance(2000);
      await reply(board.checkuser('C0FFEE11'));
      // The timer's move leaves the row of a card that may still be tapped.
      await inbox.settle(false);
      expect(await inboxRows(lab.dataSource)).toBe(staged(1));
      lab.clock.advance(2000);
      await reply(board.checkuser('C0FFEE11'));
    });
    expect(taps.map((e) => e.count)).toEqual([1, 2, 3]);
    expect(new Set(taps.map((e) => e.id)).size).toBe(1);
    // Its window over, the timer's move takes it too.
    lab.clock.advance(11_000);
    await inbox.settle(false);
    expect(await inboxRows(lab.dataSource)).toBe(0);
    const rows = await listed('cardUid=c0ffee11');
    expect(rows.map((e) => [e.id, e.count])).toEqual([[taps[0]?.id, 3]]);
    const card = await lab.dataSource.getRepository(UnknownCard).findOneByOrFail({ cardUid: 'c0ffee11' });
    expect(card.taps).toBe(3);
  });

  it('clears the card of the taps a member made just before being erased', async () => {
    const roles = await admin.get<Page<{ id: number; name: string }>>('/api/roles?q=fab%20users');
    const created = await admin.post<MemberDto>('/api/members', {
      name: 'Breve',
      roleId: roles.body.items[0]?.id,
      cardUid: 'B0B0B0B0',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const board = await lab.board('012');
    await reply(board.checkuser('B0B0B0B0'));
    await reply(board.checkuser('B0B0B0B0'));
    expect(await inboxRows(lab.dataSource)).toBe(staged(2));
    expect((await admin.delete(`/api/members/${id}`)).status).toBe(200);
    expect((await admin.post(`/api/members/${id}/erase`)).status).toBe(200);
    const taps = await lab.dataSource.getRepository(AccessEvent).findBy({ memberId: id });
    expect(taps).toHaveLength(2);
    expect(taps.map((t) => t.cardUid)).toEqual([null, null]);
  });

  it("recounts an unknown card's taps still in the inbox when the purge deletes its old ones", async () => {
    const board = await lab.board('1');
    const now = lab.clock.now().getTime();
    const old = now - (lab.config.UNKNOWN_CARD_RETENTION_DAYS + 5) * 86_400_000;
    await lab.dataSource.getRepository(AccessEvent).insert({
      occurredAt: new Date(old),
      topicId: '1',
      machineId: null,
      cardUid: 'abad1dea',
      memberId: null,
      action: 'checkuser',
      reason: 'unknown-card',
      granted: false,
      level: 0,
    });
    await lab.dataSource.getRepository(UnknownCard).insert({
      cardUid: 'abad1dea',
      firstSeenAt: new Date(old),
      lastSeenAt: new Date(old),
      taps: 1,
      lastTopicId: '1',
      lastMachineId: null,
    });
    await reply(board.checkuser('ABAD1DEA'));
    await reply(board.checkuser('ABAD1DEA'));
    expect(await inboxRows(lab.dataSource)).toBe(staged(1));
    const purged = await lab.running.app.get(GdprPurge).run();
    expect(purged.unknownCardEventsDeleted).toBe(1);
    const card = await lab.dataSource.getRepository(UnknownCard).findOneByOrFail({ cardUid: 'abad1dea' });
    expect(card.taps).toBe(2);
    // Its first tap now is the one still in the inbox, not the one purged.
    expect(card.firstSeenAt.getTime()).toBeGreaterThanOrEqual(now);
  });
});

describe('access events inbox across a restart (SQLite)', () => {
  it('moves what a stopped app left in the inbox when it starts again', async () => {
    const scratch = await createScratchDatabase('sqlite');
    const config = testAppConfig(scratch.url, 'embedded');
    const clock = new TestClock();
    try {
      const first = await startApp(config, [{ provide: Clock, useValue: clock }, NEVER]);
      const board = new SimulatedBoard({
        url: first.brokerUrl,
        topicRoot: 'machine',
        topicId: '9',
        clientId: `BOARD-9-${randomBytes(3).toString('hex')}`,
        ...BOARD_ACCOUNT,
      });
      await board.connect();
      const answers = await Promise.all([board.checkuser('0F0F0F0F'), board.checkuser('0E0E0E0E')]);
      expect(answers.map((a) => a.status)).toEqual(['reply', 'reply']);
      await board.close();
      const left = await inboxRows(first.app.get(DataSource));
      await first.close();
      expect(left).toBe(2);
      // Unknown cards' rows stay while another tap may add to them: these ones' 10 s are over.
      clock.advance(11_000);

      const again = await startApp(config, [{ provide: Clock, useValue: clock }, NEVER]);
      try {
        const dataSource = again.app.get(DataSource);
        const deadline = Date.now() + 5000;
        while ((await inboxRows(dataSource)) > 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        expect(await inboxRows(dataSource)).toBe(0);
        const moved = await dataSource.getRepository(AccessEvent).find({ order: { id: 'ASC' } });
        expect(moved.map((e) => e.cardUid).sort()).toEqual(['0e0e0e0e', '0f0f0f0f']);
      } finally {
        await again.close();
      }
    } finally {
      await scratch.drop();
    }
  });
});
