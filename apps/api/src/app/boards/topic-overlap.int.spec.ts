import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, type TestApp } from '../../testing/test-app';

/**
 * Issue 11 on an external broker (Mosquitto): overlapping queries on one topic are both denied (see
 * board-mqtt.server.spec.ts, which makes them overlap deterministically); a board's own queries,
 * each sent once the previous one is answered, never overlap and are answered as before.
 */
describe('overlapping queries on one topic (external broker)', () => {
  let lab: TestApp;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'mosquitto', seed: LAB_SEED });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it("still answers a board's own queries one after the other (checkuser, then startuse at once)", async () => {
    const board = await lab.board('1');
    expect(await board.checkuser(CARDS.mario)).toMatchObject({ reply: { is_valid: true } });
    expect(await board.startuse(CARDS.mario)).toMatchObject({ reply: { request_ok: true } });
    expect(await board.stopuse(CARDS.mario, 5)).toMatchObject({ reply: { request_ok: true } });
  });
});
