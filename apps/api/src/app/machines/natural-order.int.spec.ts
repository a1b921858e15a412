import type { MachineDto, MachineStatusDto, MaintenanceReport, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { Machine } from './machine.entity';
import { machineNameSortKey } from './machine-sort-key';

describe('machineNameSortKey', () => {
  it('orders digit runs by value, ignoring case and leading zeros', () => {
    const names = ['MACHINE10', 'machine2', 'MACHINE1', 'Machine 3b', 'Machine 03a', 'MACHINE100'];
    const sorted = [...names].sort((a, b) => (machineNameSortKey(a) < machineNameSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(['Machine 03a', 'Machine 3b', 'MACHINE1', 'machine2', 'MACHINE10', 'MACHINE100']);
  });
});

/** Issue 14: machine names sort as a lab reads them, MACHINE2 before MACHINE10, on either database. */
describe.each<TestDatabase>(['sqlite', 'postgres'])('machines in natural name order on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;
  const ours = (names: readonly string[]) => names.filter((name) => name.startsWith('MACHINE'));

  beforeAll(async () => {
    lab = await startTestApp({ database, broker: 'embedded', seed: LAB_SEED });
    admin = await adminClient(lab);
    for (const [topicId, name] of [
      ['110', 'MACHINE10'],
      ['102', 'MACHINE2'],
      ['101', 'MACHINE1'],
      ['120', 'MACHINE20'],
    ])
      expect((await admin.post('/api/machines', { topicId, name })).status).toBe(201);
  });
  afterAll(() => lab?.stop());

  it('lists machines, their statuses and the maintenance report with MACHINE2 before MACHINE10', async () => {
    const expected = ['MACHINE1', 'MACHINE2', 'MACHINE10', 'MACHINE20'];
    const list = await admin.get<Page<MachineDto>>('/api/machines?sort=name&pageSize=100');
    expect(ours(list.body.items.map((m) => m.name))).toEqual(expected);
    const desc = await admin.get<Page<MachineDto>>('/api/machines?sort=name&order=desc&pageSize=100');
    expect(ours(desc.body.items.map((m) => m.name))).toEqual([...expected].reverse());
    const status = await admin.get<MachineStatusDto[]>('/api/machines/status');
    expect(ours(status.body.map((m) => m.name))).toEqual(expected);
    const report = await admin.get<MaintenanceReport>('/api/reports/maintenance');
    expect(ours(report.body.machines.map((m) => m.machineName))).toEqual(expected);
  });

  it('keeps the key when a machine is renamed', async () => {
    const repo = lab.dataSource.getRepository(Machine);
    const twenty = await repo.findOneByOrFail({ name: 'MACHINE20' });
    expect((await admin.patch(`/api/machines/${twenty.id}`, { name: 'MACHINE3' })).status).toBe(200);
    expect((await repo.findOneByOrFail({ id: twenty.id })).nameSortKey).toBe(machineNameSortKey('MACHINE3'));
    const list = await admin.get<Page<MachineDto>>('/api/machines?sort=name&pageSize=100');
    expect(ours(list.body.items.map((m) => m.name))).toEqual([
      'MACHINE1',
      'MACHINE2',
      'MACHINE3',
      'MACHINE10',
    ]);
  });
});
