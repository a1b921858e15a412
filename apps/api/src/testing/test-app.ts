import { randomBytes } from 'node:crypto';
import { SimulatedBoard } from '@fabomatic/board-sim';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessEventInbox } from '../app/access-events/access-event-inbox';
import { applySeed, seedSchema, type SeedFile } from '../cli/seed';
import { loadConfig, type AppConfig } from '../core/config/config.schema';
import { createScratchDatabase, type ScratchDatabase } from '../core/database/scratch-database';
import { Clock } from '../core/time/clock';
import { startApp, type RunningApp } from '../main';

/** A clock tests can move forward. */
export class TestClock extends Clock {
  private offsetMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export type TestDatabase = 'sqlite' | 'postgres';
export type TestBroker = 'embedded' | 'mosquitto';

/** The Mosquitto running on this machine (anonymous, loopback). */
export const LOCAL_MOSQUITTO_URL = process.env['TEST_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';

export interface TestApp {
  readonly running: RunningApp;
  readonly config: AppConfig;
  readonly dataSource: DataSource;
  readonly clock: TestClock;
  readonly topicRoot: string;
  /**
   * Resolves once every access event the boards were answered for is in `access_events`: on SQLite
   * they are committed to an inbox first (ADR 0010), which the portal's reads and transactions move
   * by themselves, but a test reading the table directly must ask.
   */
  settled(): Promise<void>;
  /** A connected simulated board with the board credentials, closed by `stop()`. */
  board(topicId: string, placement?: { readonly beside?: boolean }): Promise<SimulatedBoard>;
  stop(): Promise<void>;
}

export const BOARD_ACCOUNT = { username: 'board', password: 'board-secret' } as const;
/** The bootstrap admin every test app starts with (it must change its password: see adminClient). */
export const TEST_ADMIN = {
  email: 'boss@example.org',
  password: 'first-Boot-pass-42',
  changedTo: 'Tessera-Verde-2026',
} as const;

/**
 * The configuration of a test app on `databaseUrl`: free ports on localhost, errors-only logs, the
 * test admin, and the board account (embedded broker) or the machine's Mosquitto under `topicRoot`.
 */
export function testAppConfig(
  databaseUrl: string,
  broker: TestBroker,
  topicRoot = 'machine',
  env: Record<string, string> = {},
): AppConfig {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    BROKER_HOST: '127.0.0.1',
    BROKER_PORT: '0',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    MQTT_TOPIC_ROOT: topicRoot,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...(broker === 'mosquitto'
      ? { MQTT_URL: LOCAL_MOSQUITTO_URL }
      : { BOARD_MQTT_USERNAME: BOARD_ACCOUNT.username, BOARD_MQTT_PASSWORD: BOARD_ACCOUNT.password }),
    ...env,
  });
}

/**
 * Starts the real app on a scratch database and a real broker: the embedded one (with board
 * credentials) or the machine's Mosquitto (under a unique topic root, so runs never cross).
 */
export async function startTestApp(options: {
  database: TestDatabase;
  broker: TestBroker;
  seed?: SeedFile;
  env?: Record<string, string>;
  /** Seams replacing the app's own (e.g. a small export chunk size). */
  providers?: Provider[];
}): Promise<TestApp> {
  const scratch: ScratchDatabase = await createScratchDatabase(options.database);
  const topicRoot = options.broker === 'mosquitto' ? `t${randomBytes(4).toString('hex')}/machine` : 'machine';
  const config = testAppConfig(scratch.url, options.broker, topicRoot, options.env);
  const clock = new TestClock();
  let running: RunningApp;
  try {
    running = await startApp(config, [{ provide: Clock, useValue: clock }, ...(options.providers ?? [])]);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  const dataSource = running.app.get(DataSource);
  if (options.seed) {
    const seed = seedSchema.parse(options.seed);
    await dataSource.transaction((em) => applySeed(em, seed));
  }
  const boards: SimulatedBoard[] = [];
  return {
    running,
    config,
    dataSource,
    clock,
    topicRoot,
    /**
     * A board on `topicId`, replacing the test's earlier board there (closed first): on the embedded
     * broker a topic belongs to one connection at a time. `{ beside: true }` keeps the earlier one.
     */
    async board(topicId: string, placement: { readonly beside?: boolean } = {}) {
      if (!placement.beside) {
        for (const old of boards.filter((b) => b.topicId === topicId)) {
          await old.close();
          boards.splice(boards.indexOf(old), 1);
        }
      }
      const board = new SimulatedBoard({
        url: running.brokerUrl,
        topicRoot,
        topicId,
        clientId: `BOARD-${topicId}-${randomBytes(3).toString('hex')}`,
        ...(options.broker === 'embedded' ? BOARD_ACCOUNT : {}),
      });
      await board.connect();
      boards.push(board);
      return board;
    },
    async settled() {
      await running.app.get(AccessEventInbox, { strict: false }).settle();
    },
    async stop() {
      await Promise.all(boards.map((b) => b.close()));
      await running.close();
      await scratch.drop();
    },
  };
}
