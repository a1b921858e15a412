import type { AccessEventDto, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Board } from './board.entity';

/**
 * Issue 11: an `alive` carries a serial anyone with the shared account can type. It must not move a
 * board bound to a machine on another topic (a forged identity); staff unbind a board that was
 * really moved. Another serial on a machine's topic raises an alert.
 */
describe('board identity from alive', () => {
  let lab: TestApp;
  let admin: ApiClient;
  const board = (serial: string) => lab.dataSource.getRepository(Board).findOneBy({ serial });
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };
  const alerts = async (reason: string) =>
    (await admin.get<Page<AccessEventDto>>(`/api/access-events?reason=${reason}`)).body.items;

  beforeAll(async () => {
    lab = await startTestApp({ database: 'sqlite', broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    await (await lab.board('1')).alive('aaaaaaaaaa01');
    expect(await waitFor(async () => typeof (await board('aaaaaaaaaa01'))?.machineId === 'number')).toBe(
      true,
    );
  });
  afterAll(() => lab?.stop());

  it('refuses an alive that would move a bound board to another topic, and alerts', async () => {
    const forger = await lab.board('3');
    await forger.alive('aaaaaaaaaa01');
    expect(await waitFor(async () => (await alerts('board-bound-elsewhere')).length === 1)).toBe(true);
    expect(await alerts('board-bound-elsewhere')).toEqual([
      expect.objectContaining({ topicId: '3', action: 'alive', granted: false }),
    ]);
    expect(await board('aaaaaaaaaa01')).toMatchObject({ topicId: '1' });
    // Said again a minute later: not one more row (alerts are throttled per board and topic).
    await forger.alive('aaaaaaaaaa01');
    await new Promise((r) => setTimeout(r, 200));
    expect(await alerts('board-bound-elsewhere')).toHaveLength(1);
  });

  it('moves a board that staff unbound (audited)', async () => {
    const id = (await board('aaaaaaaaaa01'))?.id;
    const unbound = await admin.post(`/api/boards/${id}/unbind`, {});
    expect(unbound.status).toBe(200);
    expect((await admin.post('/api/boards/4242/unbind', {})).status).toBe(404);
    const audit = await lab.dataSource.getRepository(AuditEntry).findBy({ action: 'unbind' });
    expect(audit.map((a) => [a.entityType, a.actorLabel])).toEqual([['board', 'boss@example.org']]);
    await (await lab.board('3')).alive('aaaaaaaaaa01');
    expect(await waitFor(async () => (await board('aaaaaaaaaa01'))?.topicId === '3')).toBe(true);
  });

  it("alerts when another serial speaks on a machine's topic", async () => {
    await (await lab.board('012')).alive('bbbbbbbbbb12');
    expect(await waitFor(async () => typeof (await board('bbbbbbbbbb12'))?.machineId === 'number')).toBe(
      true,
    );
    await (await lab.board('012')).alive('cccccccccc12');
    expect(await waitFor(async () => (await alerts('board-serial-mismatch')).length === 1)).toBe(true);
    expect((await alerts('board-serial-mismatch'))[0]).toMatchObject({ topicId: '012', action: 'alive' });
  });
});
