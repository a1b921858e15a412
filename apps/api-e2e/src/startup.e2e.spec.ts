import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { BOARD_ACCOUNT, embeddedBrokerEnv, labSeed, seedDatabase, uniqueClientId } from './support/lab';
import {
  type AppChild,
  freePort,
  removeTempDirs,
  processMemory,
  spawnApp,
  stopAll,
  tempDir,
} from './support/processes';

/** product.md §4: ready to answer boards within 3 s of process start, idle RSS under 150 MB. */
const READY_BUDGET_MS = 3000;
/**
 * product.md §4 targets idle RSS under 150 MB: printed here for the CI log, judged by the benchmark
 * (`npm run bench`), as the brief wants memory measured by benchmark scripts, not by tests.
 */
const RSS_BUDGET_BYTES = 150 * 1024 * 1024;
const IDLE_MS = 2000;

describe('start-up time and idle memory', () => {
  const { seed, machines } = labSeed(3);
  let app: AppChild | undefined;
  let board: SimulatedBoard | undefined;

  afterAll(async () => {
    await board?.close();
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  it('is ready within 3 s of spawning and answers a board (idle memory printed)', async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'fabomatic.db')}`;
    await seedDatabase(dir, databaseUrl, seed); // migrates: the app starts on an up-to-date database
    const [httpPort, brokerPort] = [await freePort(), await freePort()];

    const spawnedAt = performance.now();
    app = spawnApp(httpPort, {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      ...embeddedBrokerEnv(brokerPort),
    });
    await app.waitReady(15000, 10);
    const readyMs = performance.now() - spawnedAt;

    // Ready means ready for boards: the first query is answered.
    board = new SimulatedBoard({
      url: `mqtt://127.0.0.1:${brokerPort}`,
      topicId: machines[0].topicId,
      clientId: uniqueClientId('startup'),
      ...BOARD_ACCOUNT,
    });
    await board.connect();
    const answer = await board.checkuser(machines[0].card);
    const answeredMs = performance.now() - spawnedAt;
    await board.close();
    board = undefined;

    await sleep(IDLE_MS);
    const memory = await processMemory(app.pid);
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `start-up: /ready 200 after ${Math.round(readyMs)} ms (budget ${READY_BUDGET_MS}), first board answer after ` +
        `${Math.round(answeredMs)} ms; idle RSS after ${IDLE_MS} ms: ${mib(memory.rss)} MiB = ${(memory.rss / 1e6).toFixed(1)} MB ` +
        `(anon ${mib(memory.anon)} MiB, file-backed ${mib(memory.file)} MiB; budget ${mib(RSS_BUDGET_BYTES)} MiB)`,
    );
    expect(answer).toMatchObject({ status: 'reply', reply: { request_ok: true, is_valid: true } });
    expect(readyMs).toBeLessThan(READY_BUDGET_MS);
  });
});
