import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { labSeed, seedDatabase, uniqueClientId } from './support/lab';
import { spawnMosquitto, waitListening, writeMosquittoConfig } from './support/mosquitto';
import {
  type AppChild,
  type Child,
  freePort,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
  waitFor,
} from './support/processes';

const RECOVERY_BUDGET_MS = 5000;
/** Give up measuring well after the budget, so a slow recovery still gets a number. */
const RECOVERY_DEADLINE_MS = 15000;

describe('external broker restart', () => {
  const { seed, machines } = labSeed(1);
  const machine = machines[0];
  let app: AppChild | undefined;
  let board: SimulatedBoard | undefined;
  const brokers: Child[] = [];

  afterAll(async () => {
    await board?.close();
    await app?.stop('SIGTERM');
    await Promise.all(brokers.map((b) => b.stop('SIGTERM')));
    await stopAll();
    removeTempDirs();
  });

  /** Whether the board gets a valid checkmachine answer within `timeoutMs`. */
  async function checkmachineAnswered(timeoutMs: number): Promise<boolean> {
    if (!board?.connected) return false;
    const result = await board.checkmachine({ timeoutMs }).catch(() => null);
    return (
      result?.status === 'reply' && result.reply?.['request_ok'] === true && result.reply['is_valid'] === true
    );
  }

  it('answers boards again within 5 s of Mosquitto coming back', async () => {
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'fabomatic.db')}`;
    await seedDatabase(dir, databaseUrl, seed);
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const config = writeMosquittoConfig(dir, mqttPort);
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

    const broker = spawnMosquitto(config);
    brokers.push(broker);
    await waitListening(broker, mqttPort);
    app = spawnApp(httpPort, { DATABASE_URL: databaseUrl, MQTT_URL: mqttUrl, LOG_LEVEL: 'warn' });
    await app.waitReady();
    board = new SimulatedBoard({
      url: mqttUrl,
      topicId: machine.topicId,
      clientId: uniqueClientId('restart'),
    });
    await board.connect();
    expect(await checkmachineAnswered(2000)).toBe(true);

    // Broker down: the app must say it is not ready.
    const stoppedAt = performance.now();
    expect(await broker.stop('SIGTERM')).toMatchObject({ code: 0 });
    const notReady = await waitFor(async () => (await app!.readyStatus()) === 503, 3000, 50);
    const notReadyMs = performance.now() - stoppedAt;
    await sleep(500); // a short outage: both clients are in their reconnect loops

    // Broker back on the same port: time until a (reconnecting) board is answered again.
    const restarted = spawnMosquitto(config);
    brokers.push(restarted);
    const restartedAt = performance.now();
    let recoveredMs = Number.NaN;
    let attempts = 0;
    while (performance.now() - restartedAt < RECOVERY_DEADLINE_MS) {
      if (!restarted.alive) throw new Error(`mosquitto exited on restart:\n${restarted.output()}`);
      if (board.connected) {
        attempts += 1;
        if (await checkmachineAnswered(300)) {
          recoveredMs = performance.now() - restartedAt;
          break;
        }
      } else {
        await sleep(20);
      }
    }
    const readyAgain = await waitFor(async () => (await app!.readyStatus()) === 200, 3000, 50);
    console.log(
      `broker restart: /ready reported 503 ${notReady ? `after ${Math.round(notReadyMs)} ms` : 'never (within 3 s)'}; ` +
        `board answered again ${Math.round(recoveredMs)} ms after Mosquitto was restarted (${attempts} checkmachine attempts); ` +
        `/ready 200 again: ${readyAgain}`,
    );
    expect(notReady).toBe(true);
    expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
    expect(readyAgain).toBe(true);
    expect(app.alive).toBe(true);
  });
});
