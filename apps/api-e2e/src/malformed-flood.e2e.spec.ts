import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { type BoardParseResult, parseBoardQuery, validateBoardQuery } from '@fabomatic/board-protocol';
import { SimulatedBoard, openMqttClient, subscribeAll } from '@fabomatic/board-sim';
import { type FuzzKind, PayloadFuzzer, Prng } from './support/fuzz';
import {
  BACKEND_ACCOUNT,
  BOARD_ACCOUNT,
  embeddedBrokerEnv,
  labSeed,
  seedDatabase,
  uniqueClientId,
} from './support/lab';
import {
  type AppChild,
  freePort,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
  waitFor,
} from './support/processes';

const FLOOD_SIZE = 10_000;
const BATCH_SIZE = 100;
const FLOOD_SEED = 0x5eed_f00d;

/** The rule of the brief: a reply is due to valid queries but `alive`, and to known actions with bad fields. */
function replyDue(result: BoardParseResult): boolean {
  return (
    (result.ok && result.query.action !== 'alive') ||
    (!result.ok &&
      result.error === 'invalid-fields' &&
      result.action !== undefined &&
      result.action !== 'alive')
  );
}

/**
 * What the app's transport actually does (for the diagnostics only): NestJS decodes the payload with
 * a lossy `Buffer#toString()` and `JSON.parse` (no size limit), then validates the decoded value.
 */
function replyDueAsDecodedByNest(payload: Uint8Array): boolean {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString());
  } catch {
    return false;
  }
  return typeof value !== 'string' && replyDue(validateBoardQuery(value));
}

describe('10,000 malformed board messages', () => {
  const { seed, machines } = labSeed(2);
  const [floodMachine, pingMachine] = machines as [(typeof machines)[0], (typeof machines)[0]];
  let app: AppChild;
  let brokerUrl: string;
  const boards: SimulatedBoard[] = [];
  let counter: MqttClient | undefined;

  beforeAll(async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'fabomatic.db')}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, brokerPort] = [await freePort(), await freePort()];
    brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
    app = spawnApp(httpPort, {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady();
  });

  afterAll(async () => {
    await Promise.all(boards.map((b) => b.close()));
    await counter?.endAsync(true);
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  async function board(topicId: string): Promise<SimulatedBoard> {
    const b = new SimulatedBoard({
      url: brokerUrl,
      topicId,
      clientId: uniqueClientId(`board${topicId}`),
      ...BOARD_ACCOUNT,
    });
    await b.connect();
    boards.push(b);
    return b;
  }

  it('survives them, answers exactly the ones that need an answer, and answers correctly right after', async () => {
    const flooder = await board(floodMachine.topicId);
    const pinger = await board(pingMachine.topicId);
    // The backend account may subscribe to any reply topic: it counts what the app sends to the flooder.
    counter = await openMqttClient({ url: brokerUrl, ...BACKEND_ACCOUNT }, uniqueClientId('counter'));
    let replies = 0;
    counter.on('message', () => {
      replies += 1;
    });
    await subscribeAll(counter, [flooder.replyTopic]);

    // Sanity check before the flood, so a broken setup is not mistaken for a flood failure.
    const before = await flooder.checkuser(floodMachine.card);
    expect(before).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
    expect(await waitFor(() => replies === 1, 2000)).toBe(true);
    const baseline = replies;

    const fuzzer = new PayloadFuzzer(new Prng(FLOOD_SEED), [floodMachine.card, pingMachine.card, 'deadbeef']);
    const perKind = new Map<FuzzKind, { sent: number; due: number; dueAsNest: number }>();
    let due = 0;
    let dueAsNest = 0;
    let maxBytes = 0;
    let laggingBatches = 0;
    const floodStart = performance.now();
    for (let sent = 0; sent < FLOOD_SIZE;) {
      const batchEnd = Math.min(sent + BATCH_SIZE, FLOOD_SIZE);
      for (; sent < batchEnd; sent++) {
        const { kind, payload } = fuzzer.next();
        const isDue = replyDue(parseBoardQuery(payload));
        const isDueAsNest = replyDueAsDecodedByNest(payload);
        const stats = perKind.get(kind) ?? { sent: 0, due: 0, dueAsNest: 0 };
        stats.sent += 1;
        stats.due += Number(isDue);
        stats.dueAsNest += Number(isDueAsNest);
        perKind.set(kind, stats);
        due += Number(isDue);
        dueAsNest += Number(isDueAsNest);
        maxBytes = Math.max(maxBytes, payload.byteLength);
        await flooder.publishRaw(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      }
      // Pace the flood: a round trip on another board, then let the replies due so far arrive.
      await pinger.checkmachine({ timeoutMs: 2000 });
      if (!(await waitFor(() => replies - baseline >= due, 1000, 5))) laggingBatches += 1;
    }
    const floodMs = performance.now() - floodStart;
    // Wait until the reply count is stable for 1 s (bounded).
    let last = -1;
    await waitFor(
      () => {
        const stable = replies === last;
        last = replies;
        return stable;
      },
      15000,
      1000,
    );
    const floodReplies = replies - baseline;

    const table = [...perKind.entries()]
      .map(
        ([kind, s]) =>
          `  ${kind.padEnd(16)} sent ${String(s.sent).padStart(5)}  due ${String(s.due).padStart(5)}  due-as-nest-decodes ${s.dueAsNest}`,
      )
      .join('\n');
    console.log(
      `malformed flood: ${FLOOD_SIZE} payloads (max ${maxBytes} bytes) in ${Math.round(floodMs)} ms, ` +
        `replies due ${due}, received ${floodReplies} (the app's lossy decoding would predict ${dueAsNest}), ` +
        `batches still waiting for replies after 1 s: ${laggingBatches}\n${table}\n` +
        `app log lines with errors or dropped replies: ${app.notable.count}\n${app.notable.lines.slice(0, 10).join('\n')}`,
    );

    if (!app.alive)
      console.log(`the app died during the flood (${JSON.stringify(await app.exited)}):\n${app.output()}`);
    // Still alive and ready...
    expect(app.alive).toBe(true);
    expect(await app.readyStatus()).toBe(200);
    // ...and answering a real card correctly, within the board's 2 s.
    const after = await flooder.checkuser(floodMachine.card);
    expect(after).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
    expect(after.status === 'reply' && after.latencyMs).toBeLessThan(2000);
    // Exactly one reply per payload that needs one, none for the rest.
    expect(floodReplies).toBe(due);
    // The board itself saw every one of them (its own reply topic, nothing in flight).
    expect(flooder.unexpectedReplies.length).toBe(floodReplies);
  });
});
