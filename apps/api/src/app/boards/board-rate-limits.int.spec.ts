import { randomBytes } from 'node:crypto';
import type { AccessEventDto, Page } from '@fabomatic/contracts';
import { adminClient } from '../../testing/portal';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { type TestApp, type TestBroker, type TestDatabase, startTestApp } from '../../testing/test-app';

const combos: [TestDatabase, TestBroker][] = [
  ['sqlite', 'embedded'],
  ['postgres', 'mosquitto'],
];
const BURST = 30;
const PER_SECOND = 5;

/**
 * Issue 11, per-board rate limits: a holder of the board account flooding a topic with random cards
 * gets a burst answered, then nothing: no reply and no row, so the access history cannot be grown
 * faster than the limit. On the embedded broker the flooding connection is closed as well.
 */
describe.each(combos)('board rate limits on %s with the %s broker', (database, broker) => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker,
      seed: LAB_SEED,
      env: { BOARD_RATE_LIMIT_BURST: String(BURST), BOARD_RATE_LIMIT_PER_SECOND: String(PER_SECOND) },
    });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const rowsOn = async (topicId: string) => {
    await lab.settled();
    const rows: { n: number | string }[] = await lab.dataSource.query(
      `SELECT COUNT(*) AS "n" FROM "access_events" WHERE "topicId" = '${topicId}'`,
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('flooding with random cards: the rows written stay within the burst and the rate', async () => {
    const flooder = await lab.board('1');
    const started = Date.now();
    for (let i = 0; i < 300; i += 1) {
      const uid = randomBytes(4).toString('hex').toUpperCase();
      await flooder.publishRaw(JSON.stringify({ action: 'checkuser', uid })).catch(() => undefined);
    }
    // Let the handling of what got through settle.
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = (Date.now() - started) / 1000;
    const rows = await rowsOn('1');
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(BURST + Math.ceil(seconds * PER_SECOND) + 1);
  });

  it('records the taps of one unknown card on one machine within 10 s as one row with a count', async () => {
    const board = await lab.board('012');
    for (let i = 0; i < 5; i += 1) {
      // Every tap is still answered (a denial): only the history is merged.
      expect(await board.checkuser(CARDS.unknown)).toMatchObject({
        status: 'reply',
        reply: { request_ok: true, is_valid: false },
      });
    }
    expect(await rowsOn('012')).toBe(1);
    const admin = await adminClient(lab);
    const events = await admin.get<Page<AccessEventDto>>(`/api/access-events?cardUid=${CARDS.unknown}`);
    expect(events.body.items.filter((e) => e.topicId === '012').map((e) => e.count)).toEqual([5]);
    const cards: { taps: number | string }[] = await lab.dataSource.query(
      `SELECT "taps" FROM "unknown_cards" WHERE "cardUid" = '${CARDS.unknown}'`,
    );
    expect(Number(cards[0]?.taps)).toBe(5);
    // Ten seconds later, a new row.
    lab.clock.advance(10_001);
    await board.checkuser(CARDS.unknown);
    expect(await rowsOn('012')).toBe(2);
    // The row the next tap would join is gone (a purge, a restore): the tap gets a row of its own.
    await lab.dataSource.query(
      `DELETE FROM "access_events" WHERE "topicId" = '012' AND "count" = 1 AND "cardUid" = '${CARDS.unknown}'`,
    );
    await board.checkuser(CARDS.unknown);
    const after = await admin.get<Page<AccessEventDto>>(`/api/access-events?cardUid=${CARDS.unknown}`);
    expect(after.body.items.filter((e) => e.topicId === '012').map((e) => e.count)).toEqual([1, 5]);
  });

  it('answers a board again once its bucket has refilled', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const board = await lab.board('3');
    const result = await board.checkuser(CARDS.unknown);
    expect(result).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: false } });
  });
});
