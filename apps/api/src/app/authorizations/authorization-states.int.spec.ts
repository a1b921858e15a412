import type { AuthorizationDto, AuthorizationState, Page } from '@fabomatic/contracts';
import type { ApiClient } from '../../testing/api-client';
import { LAB_SEED } from '../../testing/lab-seed';
import { adminClient } from '../../testing/portal';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { Authorization } from './authorization.entity';
import { certificationState } from './certification';
import { policyOf } from './certification-store';

const DAY = 24 * 3600 * 1000;
const TIME_ZONE = 'Europe/Rome';

/** A small deterministic generator (mulberry32): the same lab on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The derived-state filter (state=active|expiring|expired, and the older expired=true|false) reads
 * candidates by keyset, in chunks, after a loose SQL pre-filter: every page, in every sort, must be
 * what the exact rule (certification.ts) applied to all rows gives, total included. Hundreds of
 * authorizations of many states, ties on the sort keys and NULL expiries across chunk boundaries.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('authorization state filters on %s', (database) => {
  let lab: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: { LAB_TIME_ZONE: TIME_ZONE },
    });
    admin = await adminClient(lab);
    const ds = lab.dataSource;
    const rnd = random(15);
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rnd() * items.length)];
    const types = await ds.getRepository(MachineType).save(
      [
        { name: 'Yearly', validityDays: 365, decayDays: 90, reminderDays: '30,7' },
        { name: 'Monthly', validityDays: 30, decayDays: null, reminderDays: '7' },
        { name: 'Decaying', validityDays: null, decayDays: 60, reminderDays: '' },
        { name: 'Reminded', validityDays: null, decayDays: null, reminderDays: '14' },
      ].map((t) => ds.getRepository(MachineType).create(t)),
    );
    const machines = await ds
      .getRepository(Machine)
      .save(
        Array.from({ length: 10 }, (_, i) =>
          ds
            .getRepository(Machine)
            .create({ topicId: `s${i}`, name: `Station ${i + 1}`, typeId: i < 8 ? types[i % 4]?.id : null }),
        ),
      );
    const roles = ds.getRepository(Role);
    const users = await roles.findOneByOrFail({ name: 'Fab Users' });
    const staff = await roles.findOneByOrFail({ name: 'Fab Staff' });
    const names = ['Anna', 'Bruno', 'Carla', 'Dario', 'Elena'];
    const members = await ds.getRepository(Member).save(
      Array.from({ length: 70 }, (_, i) =>
        ds.getRepository(Member).create({
          name: names[i % names.length],
          surname: `S${String(i).padStart(2, '0')}`,
          roleId: i % 17 === 0 ? staff.id : users.id,
          // One deleted member: their authorizations are left out of every list.
          deletedAt: i === 7 ? new Date() : null,
        }),
      ),
    );
    const now = Date.now();
    const pairs = members.flatMap((m) => machines.map((mc) => [m.id, mc.id] as const));
    const chosen = pairs.filter(() => rnd() < 0.85);
    // Several statements: PostgreSQL's createdAt differs between them (microseconds).
    for (let i = 0; i < chosen.length; i += 60) {
      await ds.getRepository(Authorization).insert(
        chosen.slice(i, i + 60).map(([memberId, machineId]) => {
          const roll = rnd();
          const status =
            roll < 0.05 ? 'pending' : roll < 0.1 ? 'suspended' : roll < 0.15 ? 'revoked' : 'active';
          const grantedAt = status === 'pending' ? null : new Date(now - Math.floor(rnd() * 400 * DAY));
          const lastUsedAt =
            grantedAt === null || rnd() < 0.3
              ? null
              : new Date(grantedAt.getTime() + Math.floor(rnd() * (now - grantedAt.getTime())));
          const expiry = pick([null, null, null, -40, -1, 0.2, 1, 3, 8, 15, 29, 31, 90, 400]) ?? null;
          const expiresAt =
            expiry === null || status === 'pending' ? null : new Date(now + expiry * DAY + rnd() * DAY);
          return { memberId, machineId, status, grantedAt, lastUsedAt, expiresAt };
        }),
      );
    }
    // Rows on the edges the SQL pre-filter rounds: decay ending, validity ending, reminder
    // windows opening, each within hours of now (lab days, Europe/Rome).
    const edge = await ds
      .getRepository(Member)
      .save(
        Array.from({ length: 25 }, (_, k) =>
          ds.getRepository(Member).create({ name: 'Edge', surname: `E${k}`, roleId: users.id }),
        ),
      );
    const station = (n: number) => machines[n]?.id ?? 0;
    await ds.getRepository(Authorization).insert(
      edge.flatMap((m, i) => {
        const k = (i - 12) * 2 * 3600 * 1000;
        const base = { memberId: m.id, status: 'active' as const };
        return [
          // Decaying (60 days of disuse): last used about 60 days ago.
          {
            ...base,
            machineId: station(2),
            grantedAt: new Date(now - 200 * DAY),
            lastUsedAt: new Date(now - 60 * DAY + k),
            expiresAt: null,
          },
          // Yearly (reminders 30 and 7 days before): validity ends about 31 days from now.
          {
            ...base,
            machineId: station(0),
            grantedAt: new Date(now - 300 * DAY),
            lastUsedAt: new Date(now - DAY),
            expiresAt: new Date(now + 31 * DAY + k),
          },
          // Yearly again: 90 days of disuse end about 30 days from now, as its window opens.
          {
            ...base,
            machineId: station(4),
            grantedAt: new Date(now - 100 * DAY),
            lastUsedAt: new Date(now - 60 * DAY + k),
            expiresAt: new Date(now + 200 * DAY),
          },
          // Monthly (reminder 7 days before): validity ends about 8 days from now.
          {
            ...base,
            machineId: station(1),
            grantedAt: new Date(now - 20 * DAY),
            lastUsedAt: null,
            expiresAt: new Date(now + 8 * DAY + k),
          },
          // Reminded (14 days, no policy end): an expiry set by staff, about now.
          {
            ...base,
            machineId: station(3),
            grantedAt: new Date(now - 20 * DAY),
            lastUsedAt: null,
            expiresAt: new Date(now + k),
          },
        ];
      }),
    );
  });
  afterAll(() => lab?.stop());

  const list = async (query: string) => {
    const response = await admin.get<Page<AuthorizationDto>>(`/api/authorizations?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** Every row of the unfiltered list in a sort (the order every page has always had). */
  async function allRows(sort: string): Promise<AuthorizationDto[]> {
    const rows: AuthorizationDto[] = [];
    for (let page = 1; ; page++) {
      const chunk = await list(`${sort}&pageSize=100&page=${page}`);
      rows.push(...chunk.items);
      if (chunk.items.length < 100) return rows;
    }
  }

  /** Each authorization's state now, by the rule, from the stored facts and the type's policy. */
  async function statesNow(): Promise<Map<number, AuthorizationState>> {
    const stored = await lab.dataSource.getRepository(Authorization).find({
      relations: { member: { role: true }, machine: { type: true } },
    });
    const now = lab.clock.now().getTime();
    return new Map(
      stored.map((a) => {
        const role = a.member?.role;
        const facts = {
          status: a.status,
          expiresAt: a.expiresAt?.getTime() ?? null,
          grantedAt: a.grantedAt?.getTime() ?? null,
          lastUsedAt: a.lastUsedAt?.getTime() ?? null,
          exempt: Boolean(role && (role.authorizeAll || role.maintenance)),
        };
        return [a.id, certificationState(facts, policyOf(a.machine?.type ?? null), TIME_ZONE, now)];
      }),
    );
  }

  it('pages each derived state as the rule over all rows does, in every sort', async () => {
    const states = await statesNow();
    const counts = new Map<AuthorizationState, number>();
    for (const state of states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    // The lab is what the test means it to be: every state, the derived ones over a chunk or near.
    expect(
      Math.min(
        ...['active', 'expiring', 'expired', 'pending', 'suspended', 'revoked'].map(
          (s) => counts.get(s as AuthorizationState) ?? 0,
        ),
      ),
    ).toBeGreaterThan(5);
    expect(counts.get('active')).toBeGreaterThan(200);

    const sorts = [
      'sort=member',
      'sort=machine&order=desc',
      'sort=expiresAt',
      'sort=expiresAt&order=desc',
      'sort=createdAt&order=desc',
      'sort=id',
    ];
    const filters: [string, (s: AuthorizationState) => boolean][] = [
      ['state=active', (s) => s === 'active'],
      ['state=expiring', (s) => s === 'expiring'],
      ['state=expired', (s) => s === 'expired'],
      ['expired=true', (s) => s === 'expired'],
      ['expired=false', (s) => s !== 'expired'],
    ];
    for (const sort of sorts) {
      const all = await allRows(sort);
      for (const [filter, matches] of filters) {
        const expected = all.filter((a) => matches(states.get(a.id) ?? 'pending'));
        const pageSize = 45;
        const pages = Math.ceil(expected.length / pageSize) + 1;
        for (let page = 1; page <= pages; page++) {
          const got = await list(`${filter}&${sort}&pageSize=${pageSize}&page=${page}`);
          expect({ filter, sort, page, total: got.total, items: got.items }).toEqual({
            filter,
            sort,
            page,
            total: expected.length,
            items: expected.slice((page - 1) * pageSize, page * pageSize),
          });
        }
      }
    }
  }, 120_000);

  it('narrows by the other filters as before (a machine type, a search)', async () => {
    const states = await statesNow();
    const type = await lab.dataSource.getRepository(MachineType).findOneByOrFail({ name: 'Yearly' });
    for (const query of [`machineTypeId=${type.id}`, 'q=carla']) {
      const all = await allRows(`${query}&sort=member`);
      for (const state of ['active', 'expiring', 'expired'] as const) {
        const expected = all.filter((a) => states.get(a.id) === state);
        const got = await list(`${query}&state=${state}&sort=member&pageSize=100`);
        expect({ query, state, total: got.total, ids: got.items.map((a) => a.id) }).toEqual({
          query,
          state,
          total: expected.length,
          ids: expected.map((a) => a.id),
        });
      }
    }
  });
});
