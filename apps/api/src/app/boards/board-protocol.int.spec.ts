import type { QueryResult } from '@fabomatic/board-sim';
import { MALFORMED_PAYLOADS } from '@fabomatic/board-protocol';
import type { AccessEventMessage } from '@fabomatic/contracts';
import { IsNull } from 'typeorm';
import type { SeedFile } from '../../cli/seed';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { type TestApp, type TestBroker, type TestDatabase, startTestApp } from '../../testing/test-app';
import { EventBus } from '../../core/events/event-bus';
import { AccessEvent } from '../access-events/access-event.entity';
import { Machine } from '../machines/machine.entity';
import { Intervention } from '../maintenance/intervention.entity';
import { Member } from '../members/member.entity';
import { OrphanSessionsService } from '../usage/orphan-sessions.service';
import { UsageSession } from '../usage/usage-session.entity';
import { Board } from './board.entity';
import { BoardCommandsService } from './board-commands.service';
import { DirectoryCache } from './directory-cache';

/** Machines 20..33: one per session scenario, so scenarios never share state. */
const SESSION_MACHINES = Array.from({ length: 14 }, (_, i) => String(20 + i));
const SEED: SeedFile = {
  ...LAB_SEED,
  machines: [
    ...(LAB_SEED.machines ?? []),
    ...SESSION_MACHINES.map((topicId) => ({ topicId, name: `Session bench ${topicId}`, type: 'Printer' })),
  ],
  authorizations: [
    ...(LAB_SEED.authorizations ?? []),
    ...SESSION_MACHINES.flatMap((machine) => [
      { member: CARDS.lucia, machine },
      { member: CARDS.mario, machine },
    ]),
  ],
};

async function reply(result: Promise<QueryResult>): Promise<Record<string, unknown>> {
  const r = await result;
  if (r.status !== 'reply' || r.reply === null)
    throw new Error(`expected a JSON reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

const combos: [TestDatabase, TestBroker][] = [
  ['sqlite', 'embedded'],
  ['postgres', 'mosquitto'],
];

describe.each(combos)('board protocol on %s with the %s broker', (database, broker) => {
  let lab: TestApp;
  const machineId = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).id;
  const memberId = async (cardUid: string) =>
    (await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid })).id;
  const sessionsOn = async (topicId: string) =>
    lab.dataSource.getRepository(UsageSession).find({
      where: { machineId: await machineId(topicId) },
      order: { id: 'ASC' },
    });
  const meterSeconds = async (topicId: string) =>
    (await lab.dataSource.getRepository(Machine).findOneByOrFail({ topicId })).usageSeconds;

  beforeAll(async () => {
    lab = await startTestApp({ database, broker, seed: SEED });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  describe('checkmachine', () => {
    it('sends the full machine settings, always with allowed', async () => {
      const board = await lab.board('1');
      expect(await reply(board.checkmachine())).toEqual({
        request_ok: true,
        is_valid: true,
        allowed: true,
        maintenance: false,
        logoff: 1440,
        grace: 2,
        name: 'Prusa MK4',
        description: '',
        type: expect.any(Number),
      });
    });

    it('answers on the topic as typed: a board set to 012 gets its reply', async () => {
      const board = await lab.board('012');
      expect(await reply(board.checkmachine())).toMatchObject({ is_valid: true, name: 'Laser Trotec Spe' });
    });

    it('blocks a blocked machine and invalidates an unknown one without request_ok:false', async () => {
      expect(await reply((await lab.board('4')).checkmachine())).toMatchObject({
        request_ok: true,
        allowed: false,
      });
      expect(await reply((await lab.board('999')).checkmachine())).toMatchObject({
        request_ok: true,
        is_valid: false,
        allowed: false,
      });
    });
  });

  describe('checkuser', () => {
    it('grants by level: member 1, maintainer 2, authorize-all 3, with an ASCII name', async () => {
      const board = await lab.board('1');
      expect(await reply(board.checkuser(CARDS.lucia))).toEqual({
        request_ok: true,
        is_valid: true,
        level: 1,
        name: 'Lucia',
        missing_auth: false,
      });
      expect(await reply(board.checkuser(CARDS.staff))).toMatchObject({ is_valid: true, level: 2 });
      expect(await reply(board.checkuser(CARDS.admin))).toMatchObject({
        is_valid: true,
        level: 3,
        name: 'Ada',
      });
    });

    it('denies with request_ok:true and level 0, recording the reason', async () => {
      const laser = await lab.board('012');
      const cases: [string, string][] = [
        [CARDS.unknown, 'unknown-card'],
        [CARDS.mario, 'authorization-expired'],
        [CARDS.staff, 'no-authorization'],
      ];
      for (const [card, reason] of cases) {
        expect(await reply(laser.checkuser(card))).toEqual({
          request_ok: true,
          is_valid: false,
          level: 0,
          name: '',
          missing_auth: reason === 'no-authorization',
        });
        await lab.settled();
        const event = await lab.dataSource
          .getRepository(AccessEvent)
          .findOneOrFail({ where: { cardUid: card, topicId: '012' }, order: { id: 'DESC' } });
        expect(event).toMatchObject({ reason, granted: false, level: 0, action: 'checkuser' });
      }
      expect(await reply((await lab.board('1')).checkuser(CARDS.disabled))).toMatchObject({
        is_valid: false,
      });
    });

    it('refuses everyone on a blocked machine, authorize-all roles included, as its board does', async () => {
      const cnc = await lab.board('4');
      expect(await reply(cnc.checkuser(CARDS.lucia))).toMatchObject({ is_valid: false, level: 0 });
      expect(await reply(cnc.checkuser(CARDS.admin))).toMatchObject({ is_valid: false, level: 0 });
    });

    it('needs no authorization on an open machine type', async () => {
      expect(await reply((await lab.board('3')).checkuser(CARDS.mario))).toMatchObject({
        is_valid: true,
        level: 1,
      });
    });

    it('denies every card on an unknown machine', async () => {
      expect(await reply((await lab.board('998')).checkuser(CARDS.admin))).toMatchObject({
        request_ok: true,
        is_valid: false,
        level: 0,
      });
    });

    it('matches cards whatever case they were typed in', async () => {
      const stored = await lab.dataSource.getRepository(Member).findOneByOrFail({ name: 'Lucía' });
      expect(stored.cardUid).toBe(CARDS.lucia);
      const upper = await reply((await lab.board('1')).query(`{"action":"checkuser","uid":"AABBCCD1"}`));
      expect(upper).toMatchObject({ is_valid: true });
    });

    it('pushes each decision live with its reason', async () => {
      const events: AccessEventMessage[] = [];
      const unsubscribe = lab.running.app.get(EventBus).subscribe('access-event', (e) => events.push(e));
      await reply((await lab.board('012')).checkuser(CARDS.unknown));
      unsubscribe();
      expect(events).toEqual([
        expect.objectContaining({
          topicId: '012',
          cardUid: CARDS.unknown,
          reason: 'unknown-card',
          granted: false,
        }),
      ]);
    });
  });

  describe('alive', () => {
    it('is never answered, and records the board with its health', async () => {
      const board = await lab.board('1');
      await board.alive('a0b1c2d3e4f5');
      await board.query(`{"action":"alive","version":"0.5.2","ip":"1"}`, { expectReply: false });
      await new Promise((r) => setTimeout(r, 400));
      expect(board.unexpectedReplies).toEqual([]);
      const row = await lab.dataSource.getRepository(Board).findOneByOrFail({ serial: 'a0b1c2d3e4f5' });
      expect(row).toMatchObject({
        topicId: '1',
        machineId: await machineId('1'),
        ipAddress: '192.168.1.50',
        freeHeap: 123456,
        firmwareVersion: 'hardware-rev0-it_IT,1.0.1-3-g0ab6099',
      });
      const legacy = await lab.dataSource
        .getRepository(Board)
        .findOneByOrFail({ topicId: '1', serial: IsNull() });
      expect(legacy).toMatchObject({ ipAddress: '1', firmwareVersion: '0.5.2', freeHeap: null });
    });

    it('records a board on an unknown machine id as unassigned', async () => {
      const stray = await lab.board('777');
      await stray.alive('0a0b0c0d0e0f');
      await new Promise((r) => setTimeout(r, 400));
      expect(stray.unexpectedReplies).toEqual([]);
      expect(
        await lab.dataSource.getRepository(Board).findOneByOrFail({ serial: '0a0b0c0d0e0f' }),
      ).toMatchObject({
        topicId: '777',
        machineId: null,
      });
    });
  });

  describe('sessions', () => {
    it('opens on startuse, refreshes on inuse and closes on stopuse at start + duration', async () => {
      const board = await lab.board('20');
      expect(await reply(board.startuse(CARDS.lucia))).toMatchObject({ request_ok: true });
      expect(await reply(board.inuse(CARDS.lucia, 30))).toMatchObject({ request_ok: true });
      const [open] = await sessionsOn('20');
      expect(open).toMatchObject({ endedAt: null, memberId: await memberId(CARDS.lucia), replay: false });
      expect(await reply(board.stopuse(CARDS.lucia, 125))).toMatchObject({ request_ok: true });
      const sessions = await sessionsOn('20');
      expect(sessions).toHaveLength(1);
      const [closed] = sessions;
      expect(closed.endReason).toBe('stopuse');
      expect(closed.endedAt!.getTime() - closed.startedAt.getTime()).toBe(125_000);
      expect(await meterSeconds('20')).toBe(125);
    });

    it('keeps the heartbeat on inuse and moves the start back when the board counts longer', async () => {
      const board = await lab.board('29');
      await reply(board.startuse(CARDS.lucia));
      const [started] = await sessionsOn('29');
      const start = started.startedAt.getTime();
      // The lab clock is real time plus an offset: allow the test's own running time.
      const around = (value: number, expected: number) => {
        expect(value).toBeGreaterThanOrEqual(expected);
        expect(value).toBeLessThan(expected + 5_000);
      };
      try {
        lab.clock.advance(30_000);
        await reply(board.inuse(CARDS.lucia, 30));
        const [beat] = await sessionsOn('29');
        expect(beat.startedAt.getTime()).toBe(start);
        around(beat.lastSeenAt.getTime(), start + 30_000);
        lab.clock.advance(30_000);
        await reply(board.inuse(CARDS.lucia, 600));
        const [moved] = await sessionsOn('29');
        around(moved.lastSeenAt.getTime(), start + 60_000);
        expect(moved.startedAt.getTime()).toBe(moved.lastSeenAt.getTime() - 600_000);
        expect(moved).toMatchObject({ endedAt: null, endReason: null });
      } finally {
        lab.clock.advance(-60_000);
      }
    });

    it('is idempotent for duplicated and replayed messages', async () => {
      const board = await lab.board('21');
      await reply(board.startuse(CARDS.lucia));
      await reply(board.startuse(CARDS.lucia));
      await reply(board.startuse(CARDS.lucia, true));
      expect(await sessionsOn('21')).toHaveLength(1);
      await reply(board.stopuse(CARDS.lucia, 600));
      await reply(board.stopuse(CARDS.lucia, 600, true));
      await reply(board.stopuse(CARDS.lucia, 600));
      await reply(board.startuse(CARDS.lucia, true));
      const sessions = await sessionsOn('21');
      expect(sessions).toHaveLength(1);
      expect(sessions[0].endedAt).not.toBeNull();
      expect(await meterSeconds('21')).toBe(600);
    });

    it('keeps sessions longer than 24 hours', async () => {
      const board = await lab.board('22');
      await reply(board.stopuse(CARDS.mario, 200_000, true));
      const [session] = await sessionsOn('22');
      expect(session.endedAt!.getTime() - session.startedAt.getTime()).toBe(200_000_000);
      expect(session.replay).toBe(true);
      expect(await meterSeconds('22')).toBe(200_000);
    });

    it("does not close card A's session on a stopuse from card B", async () => {
      const board = await lab.board('23');
      await reply(board.startuse(CARDS.lucia));
      await reply(board.stopuse(CARDS.mario, 10));
      const luciaId = await memberId(CARDS.lucia);
      const sessions = await sessionsOn('23');
      expect(sessions.find((s) => s.memberId === luciaId)).toMatchObject({ endedAt: null, endReason: null });
    });

    it("closes another member's open session at its last heartbeat on startuse", async () => {
      const board = await lab.board('24');
      await reply(board.startuse(CARDS.lucia));
      const [first] = await sessionsOn('24');
      await reply(board.startuse(CARDS.mario));
      const sessions = await sessionsOn('24');
      expect(sessions).toHaveLength(2);
      expect(sessions[0]).toMatchObject({ endReason: 'superseded' });
      expect(sessions[0].endedAt!.getTime()).toBe(first.lastSeenAt.getTime());
      expect(sessions[1]).toMatchObject({ endedAt: null, memberId: await memberId(CARDS.mario) });
    });

    it('recreates a missing session from inuse, duration seconds back', async () => {
      const board = await lab.board('25');
      const before = Date.now();
      await reply(board.inuse(CARDS.lucia, 90));
      const [session] = await sessionsOn('25');
      expect(session.endedAt).toBeNull();
      expect(before - session.startedAt.getTime()).toBeGreaterThanOrEqual(89_000);
      expect(before - session.startedAt.getTime()).toBeLessThan(92_000);
    });

    it('closes sessions without heartbeat, and re-opens one the board shows still in use', async () => {
      const board = await lab.board('26');
      await reply(board.startuse(CARDS.lucia));
      lab.clock.advance(61 * 60_000);
      await lab.running.app.get(OrphanSessionsService).closeOrphans();
      const [orphan] = await sessionsOn('26');
      expect(orphan).toMatchObject({ endReason: 'orphan' });
      expect(orphan.endedAt!.getTime()).toBe(orphan.lastSeenAt.getTime());
      await reply(board.inuse(CARDS.lucia, 61 * 60));
      const reopened = await sessionsOn('26');
      expect(reopened).toHaveLength(1);
      expect(reopened[0]).toMatchObject({ endedAt: null, endReason: null });
      await reply(board.stopuse(CARDS.lucia, 62 * 60));
      const [done] = await sessionsOn('26');
      expect(done.endedAt!.getTime() - done.startedAt.getTime()).toBe(62 * 60_000);
      expect(await meterSeconds('26')).toBe(62 * 60);
      lab.clock.advance(-61 * 60_000);
    });

    it('corrects an orphan-closed session from a replayed stopuse instead of adding one', async () => {
      const board = await lab.board('27');
      await reply(board.startuse(CARDS.mario));
      lab.clock.advance(3 * 3600_000);
      await lab.running.app.get(OrphanSessionsService).closeOrphans();
      await reply(board.stopuse(CARDS.mario, 2 * 3600, true));
      const sessions = await sessionsOn('27');
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ endReason: 'stopuse', replay: true });
      expect(sessions[0].endedAt!.getTime() - sessions[0].startedAt.getTime()).toBe(2 * 3600_000);
      expect(await meterSeconds('27')).toBe(2 * 3600);
      lab.clock.advance(-3 * 3600_000);
    });

    it('answers a stop for no card (remote stop on a free machine)', async () => {
      const board = await lab.board('28');
      expect(await reply(board.stopuse('00000000', 0))).toMatchObject({ request_ok: true });
      expect(await sessionsOn('28')).toHaveLength(0);
    });
  });

  describe('a replayed offline buffer', () => {
    /**
     * The board was offline while one member used the machine again and again: it replays its buffer
     * oldest first, startuse then stopuse, each message after the previous reply.
     */
    async function replayBuffer(topicId: string, durations: readonly number[]) {
      const board = await lab.board(topicId);
      for (const duration of durations) {
        expect(await reply(board.startuse(CARDS.lucia, true))).toMatchObject({ request_ok: true });
        expect(await reply(board.stopuse(CARDS.lucia, duration, true))).toMatchObject({ request_ok: true });
      }
      return board;
    }
    const lengths = async (topicId: string) =>
      (await sessionsOn(topicId)).map((s) => (s.endedAt!.getTime() - s.startedAt.getTime()) / 1000);

    it('keeps each of 20 buffered sessions, in order, with the hour meter exact', async () => {
      const durations = Array.from({ length: 20 }, (_, i) => 61 + i);
      await replayBuffer('30', durations);
      expect(await lengths('30')).toEqual(durations);
      expect((await sessionsOn('30')).every((s) => s.replay && s.endReason === 'stopuse')).toBe(true);
      expect(await meterSeconds('30')).toBe(durations.reduce((a, b) => a + b, 0));
    });

    it('keeps 40 buffered sessions of equal and nearly equal durations', async () => {
      const durations = Array.from({ length: 40 }, (_, i) => [120, 120, 121, 119, 120][i % 5] ?? 120);
      await replayBuffer('31', durations);
      expect(await lengths('31')).toEqual(durations);
      expect(await meterSeconds('31')).toBe(durations.reduce((a, b) => a + b, 0));
    });

    it('follows a live session with the buffered ones, then ignores the replay of the last stop', async () => {
      const board = await lab.board('32');
      await reply(board.startuse(CARDS.lucia));
      await reply(board.stopuse(CARDS.lucia, 300));
      // The board reconnects (a new connection) and replays its buffer.
      const reconnected = await replayBuffer('32', [300, 300]);
      // The last stop's reply was lost: the board sends it again, alone.
      await reply(reconnected.stopuse(CARDS.lucia, 300, true));
      expect(await lengths('32')).toEqual([300, 300, 300]);
      expect(await meterSeconds('32')).toBe(900);
    });

    it('counts a buffered session of a live stop replayed later only once', async () => {
      const board = await lab.board('33');
      await reply(board.startuse(CARDS.mario));
      await reply(board.stopuse(CARDS.mario, 45));
      // The live stop's reply was lost; the replay comes with the next buffered use.
      await reply(board.stopuse(CARDS.mario, 45, true));
      await reply(board.startuse(CARDS.mario, true));
      await reply(board.stopuse(CARDS.mario, 45, true));
      expect(await lengths('33')).toEqual([45, 45]);
      expect(await meterSeconds('33')).toBe(90);
    });
  });

  describe('maintenance', () => {
    it('flags a due plan on checkmachine, refuses members, records once for maintainers', async () => {
      const laser = await lab.board('012');
      await reply(laser.stopuse(CARDS.lucia, 3700));
      expect(await reply(laser.checkmachine())).toMatchObject({
        maintenance: true,
        description: 'Pulire lente',
      });
      expect(await reply(laser.maintenance(CARDS.lucia))).toMatchObject({ request_ok: false });
      // A maintainer needs the machine like anyone else: authorize one for the laser.
      const staff = await memberId(CARDS.staff);
      await lab.dataSource.query(
        `INSERT INTO authorizations ("memberId", "machineId", "createdAt") VALUES (${staff}, ${await machineId('012')}, CURRENT_TIMESTAMP)`,
      );
      // A change behind the app's back: what the portal's services do after every write.
      lab.running.app.get(DirectoryCache).invalidate();
      expect(await reply(laser.maintenance(CARDS.staff))).toMatchObject({ request_ok: true });
      expect(await reply(laser.maintenance(CARDS.staff, true))).toMatchObject({ request_ok: true });
      const interventions = await lab.dataSource
        .getRepository(Intervention)
        .findBy({ machineId: await machineId('012') });
      expect(interventions).toHaveLength(1);
      expect(interventions[0]).toMatchObject({ memberId: staff, source: 'board' });
      expect(await reply(laser.checkmachine())).toMatchObject({ maintenance: false, description: '' });
    });
  });

  describe('robustness', () => {
    it('ignores garbage without replying, then answers the next query', async () => {
      const board = await lab.board('1');
      for (const payload of MALFORMED_PAYLOADS) await board.publishRaw(Buffer.from(payload));
      expect(await reply(board.checkuser(CARDS.lucia))).toMatchObject({ is_valid: true });
      await new Promise((r) => setTimeout(r, 200));
      expect(board.unexpectedReplies).toEqual([]);
    });

    it('answers a known action with bad fields with a safe denial', async () => {
      const board = await lab.board('1');
      expect(await reply(board.query('{"action":"checkuser","uid":"not-hex"}'))).toMatchObject({
        request_ok: true,
        is_valid: false,
      });
      expect(await reply(board.query('{"action":"stopuse","uid":"aabbccd1"}'))).toMatchObject({
        request_ok: false,
      });
    });
  });

  describe('remote commands', () => {
    it('publishes start and stop on /request with the operator card, and records who did it', async () => {
      const board = await lab.board('3');
      const commands = lab.running.app.get(BoardCommandsService);
      const admin = await lab.dataSource.getRepository(Member).findOneByOrFail({ cardUid: CARDS.admin });
      const next = board.nextRequest();
      await commands.send('start', await machineId('3'), admin);
      expect((await next).command).toEqual({ request_type: 'start', uid: CARDS.admin });
      const stop = board.nextRequest();
      await commands.send('stop', await machineId('3'), admin);
      expect((await stop).command).toEqual({ request_type: 'stop', uid: CARDS.admin });
      await lab.settled();
      const recorded = await lab.dataSource
        .getRepository(AccessEvent)
        .findBy({ topicId: '3', actorMemberId: admin.id });
      expect(recorded.map((e) => e.action).sort()).toEqual(['remote-start', 'remote-stop']);
    });
  });

  if (broker === 'embedded') {
    describe('broker access control', () => {
      it('refuses a board account publishing a reply, so no rogue grant reaches a board', async () => {
        const victim = await lab.board('1');
        const rogue = await lab.board('2');
        const client = (
          rogue as unknown as { client: { publishAsync: (t: string, p: string) => Promise<unknown> } }
        ).client;
        await client.publishAsync(
          `${lab.topicRoot}/1/reply`,
          '{"request_ok":true,"is_valid":true,"level":3}',
        );
        await new Promise((r) => setTimeout(r, 300));
        expect(victim.unexpectedReplies).toEqual([]);
      });
    });
  }
});
