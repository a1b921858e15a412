import type { AccessEventDto, Page } from '@fabomatic/contracts';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * Issue 11 on an external broker (Mosquitto), where the backend cannot see connections: a second
 * query on a topic while the first is being answered means a second sender there (a board waits for
 * its reply before its next query). Both are denied (fail closed) and recorded as topic conflicts,
 * so a forged grant can never become the real board's answer.
 */
describe('overlapping queries on one topic (external broker)', () => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'mosquitto', seed: LAB_SEED });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('denies both of two overlapping queries, the forged grant included, and records both', async () => {
    const real = await lab.board('1');
    const forger = await lab.board('1', { beside: true });
    const replies: string[] = [];
    real.on('unexpected', (u: { raw: string }) => replies.push(u.raw));
    // Back to back, as a forger racing the board: the second arrives while the first is answered.
    void forger.publishRaw(JSON.stringify({ action: 'checkuser', uid: CARDS.mario }));
    void forger.publishRaw(JSON.stringify({ action: 'checkuser', uid: CARDS.unknown }));
    for (let i = 0; i < 100 && replies.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(replies.map((r) => JSON.parse(r) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ request_ok: true, is_valid: false }),
      expect.objectContaining({ request_ok: true, is_valid: false }),
    ]);
    const admin = await adminClient(lab);
    let conflicts: readonly AccessEventDto[] = [];
    for (let i = 0; i < 100 && conflicts.length < 2; i++) {
      conflicts = (await admin.get<Page<AccessEventDto>>('/api/access-events?reason=topic-conflict')).body
        .items;
      if (conflicts.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(conflicts.map((e) => e.cardUid).sort()).toEqual([CARDS.mario, CARDS.unknown].sort());
  });

  it("still answers a board's own queries one after the other (checkuser, then startuse at once)", async () => {
    const board = await lab.board('1');
    expect(await board.checkuser(CARDS.mario)).toMatchObject({ reply: { is_valid: true } });
    expect(await board.startuse(CARDS.mario)).toMatchObject({ reply: { request_ok: true } });
    expect(await board.stopuse(CARDS.mario, 5)).toMatchObject({ reply: { request_ok: true } });
  });
});
