import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type INestApplication, Logger, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module';
import { BoardPublisher } from './app/boards/board-commands.service';
import { BoardMqttServer } from './app/boards/board-mqtt.server';
import { BoardQueryService } from './app/boards/board-query.service';
import { BoardStats } from './app/boards/board-stats';
import { BoardTransportStatus } from './app/boards/board-transport-status';
import { PresenceService } from './app/boards/presence.service';
import { type AppConfig, redactConfig } from './core/config/config.schema';
import type { EmbeddedBroker } from './core/broker/embedded-broker';
import { BoardAccountRegistry } from './core/broker/board-accounts';
import { AppLogger, createLogger } from './core/logging/logger';
import { BrokerInfo } from './app/system/broker-info';
import { AppRestarter } from './app/system/app-restarter';
import { applyPendingRestore } from './core/database/restore';
import { databaseKind, sqlitePath } from './core/database/data-source';
import { configureHttp } from './core/http/configure-http';
import { httpsOptions } from './core/http/tls';
import { EventBus } from './core/events/event-bus';
import type { LiveRelay } from './core/live/live-relay';
import { LegacyStatsPublisher } from './app/stats/legacy-stats';

export interface RunningApp {
  readonly app: INestApplication;
  readonly httpUrl: string;
  /** Where boards connect: the embedded broker, or the configured external one. */
  readonly brokerUrl: string;
  readonly broker: EmbeddedBroker | null;
  close(): Promise<void>;
}

/**
 * Starts the whole backend: the embedded broker (unless MQTT_URL is set), the database with its
 * migrations, the HTTP server and the board transport. Ports 0 pick free ports (tests);
 * `overrides` replace side-effect seams (the clock, in tests).
 */
export async function startApp(config: AppConfig, overrides: Provider[] = []): Promise<RunningApp> {
  const logger = createLogger(config);
  const log = new Logger('Bootstrap');
  const backendAccount = {
    username: config.BACKEND_MQTT_USERNAME ?? 'fabomatic-backend',
    password: config.BACKEND_MQTT_PASSWORD ?? randomBytes(24).toString('base64url'),
  };
  await applyRestore(config, log);

  const hooks = boardHooks(logger);
  // Per-board broker accounts: loaded from the database by the app, read by the embedded broker.
  const boardAccounts = new BoardAccountRegistry();
  let broker: EmbeddedBroker | null = null;
  let brokerUrl = config.MQTT_URL;
  if (!brokerUrl) {
    broker = await startEmbeddedBroker(config, backendAccount, boardAccounts, hooks);
    brokerUrl = `mqtt://127.0.0.1:${broker.port}`;
  }
  const brokerInfo = brokerInfoOf(config, brokerUrl, broker);
  const transport = boardTransport(config, brokerUrl, broker, backendAccount, hooks);
  const publisher: BoardPublisher = {
    publish: async (topic, payload) => {
      await transport.client.publishAsync(topic, payload, { qos: 0, retain: false });
    },
  };

  let app: INestApplication;
  try {
    app = await NestFactory.create(
      AppModule.forRoot({
        config,
        providers: [
          { provide: BoardPublisher, useValue: publisher },
          { provide: AppLogger, useValue: logger },
          { provide: BrokerInfo, useValue: brokerInfo },
          { provide: BoardAccountRegistry, useValue: boardAccounts },
          ...overrides,
        ],
      }),
      { logger, abortOnError: false, bodyParser: false, httpsOptions: httpsOptions(config) },
    );
  } catch (error) {
    await broker?.close();
    throw error;
  }
  await connectBoardTransport(app, config, transport, hooks);
  const stats = LegacyStatsPublisher.start({
    client: transport.client,
    topicRoot: config.MQTT_TOPIC_ROOT,
    topicPrefix: config.STATS_TOPIC_PREFIX,
    intervalMs: config.STATS_INTERVAL_SECONDS * 1000,
  });
  const relay = await startLiveRelay(app, config, backendAccount);
  await app.listen(config.PORT, config.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const httpUrl = `${config.TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  logReady(log, config, address.port, broker, relay);

  let closing: Promise<void> | undefined;
  return {
    app,
    httpUrl,
    brokerUrl,
    broker,
    close: () =>
      (closing ??= (async () => {
        stats?.stop();
        await relay?.close();
        await app.close();
        await broker?.close();
      })()),
  };
}

/** The backend's own account on the broker (the embedded one creates it). */
interface BackendAccount {
  readonly username: string;
  readonly password: string;
}

/** What the broker's and the transport's callbacks reach; they start before the app they report to. */
interface BoardHooks {
  readonly logger: AppLogger;
  /** Services of the app, bound once it is created. */
  readonly services: { stats?: BoardStats; queries?: BoardQueryService };
  readonly rateLimited: (scope: 'topic' | 'connection', source: string) => void;
  readonly topicConflict: (topicId: string, payload: Uint8Array, context: string) => void;
}

/** A restore uploaded before the last restart replaces the SQLite file before anything opens it. */
async function applyRestore(config: AppConfig, log: Logger): Promise<void> {
  if (databaseKind(config.DATABASE_URL) === 'sqlite' && sqlitePath(config.DATABASE_URL) !== ':memory:') {
    const kept = await applyPendingRestore(sqlitePath(config.DATABASE_URL));
    if (kept) log.warn(`database replaced by the uploaded restore; the previous one is kept as ${kept}`);
  }
}

function boardHooks(logger: AppLogger): BoardHooks {
  const services: BoardHooks['services'] = {};
  // Messages over a board's rate are counted each, logged at most every 10 s (a flood must not flood the log).
  let rateLog = { at: 0, suppressed: 0 };
  return {
    logger,
    services,
    rateLimited: (scope, source) => {
      services.stats?.countRateLimited(scope);
      const now = Date.now();
      if (now - rateLog.at < 10_000) {
        rateLog.suppressed += 1;
        return;
      }
      const more = rateLog.suppressed > 0 ? ` (and ${rateLog.suppressed} more since the last report)` : '';
      logger.warn(`board messages over the rate limit dropped: ${scope} ${source}${more}`, 'BoardTransport');
      rateLog = { at: now, suppressed: 0 };
    },
    topicConflict: (topicId, payload, context) => {
      services.queries?.recordTopicConflict(topicId, payload).catch((error: unknown) => {
        logger.error(`topic conflict on ${topicId} not recorded: ${String(error)}`, context);
      });
    },
  };
}

const boardRateOf = (config: AppConfig) => ({
  burst: config.BOARD_RATE_LIMIT_BURST,
  perSecond: config.BOARD_RATE_LIMIT_PER_SECOND,
});

async function startEmbeddedBroker(
  config: AppConfig,
  backendAccount: BackendAccount,
  boardAccounts: BoardAccountRegistry,
  hooks: BoardHooks,
): Promise<EmbeddedBroker> {
  // Loaded only when used: on an external broker, aedes would hold idle memory for nothing.
  const { EmbeddedBroker } = await import('./core/broker/embedded-broker.js');
  return EmbeddedBroker.start({
    host: config.BROKER_HOST,
    port: config.BROKER_PORT,
    topicRoot: config.MQTT_TOPIC_ROOT,
    boardAccounts,
    accounts: {
      backend: backendAccount,
      board:
        config.BOARD_MQTT_USERNAME && config.BOARD_MQTT_PASSWORD
          ? { username: config.BOARD_MQTT_USERNAME, password: config.BOARD_MQTT_PASSWORD }
          : undefined,
      allowAnonymousBoards: config.MQTT_ALLOW_ANONYMOUS,
    },
    limits: {
      maxConnections: config.BROKER_MAX_CONNECTIONS,
      maxConnectionsPerAddress: config.BROKER_MAX_CONNECTIONS_PER_IP,
      connectTimeoutMs: config.BROKER_CONNECT_TIMEOUT_SECONDS * 1000,
      boardRate: boardRateOf(config),
    },
    onRefused: (reason, clientId) =>
      hooks.logger.warn(`broker refused ${clientId}: ${reason}`, 'EmbeddedBroker'),
    onRateLimited: (clientId) => hooks.rateLimited('connection', clientId),
    onTopicConflict: ({ topicId, payload }) => hooks.topicConflict(topicId, payload, 'EmbeddedBroker'),
  });
}

/** Where boards connect, as the system page shows it. */
function brokerInfoOf(config: AppConfig, brokerUrl: string, broker: EmbeddedBroker | null): BrokerInfo {
  const external = new URL(brokerUrl);
  return {
    embedded: broker !== null,
    url: broker ? `mqtt://${config.BROKER_HOST}:${broker.port}` : external.host,
    host: broker ? config.BROKER_HOST : external.hostname,
    port: broker ? broker.port : Number(external.port || (external.protocol === 'mqtts:' ? 8883 : 1883)),
    tls: !broker && external.protocol === 'mqtts:',
  };
}

function boardTransport(
  config: AppConfig,
  brokerUrl: string,
  broker: EmbeddedBroker | null,
  backendAccount: BackendAccount,
  hooks: BoardHooks,
): BoardMqttServer {
  return new BoardMqttServer({
    url: brokerUrl,
    username: backendAccount.username,
    password: backendAccount.password,
    topicRoot: config.MQTT_TOPIC_ROOT,
    sharedGroup: config.MQTT_URL ? config.MQTT_SHARED_GROUP : undefined,
    connectInProcess: broker ? (clientId) => broker.connectInProcess(clientId) : undefined,
    rateLimit: boardRateOf(config),
    onRateLimited: (topic) => hooks.rateLimited('topic', topic),
    onTopicConflict: (topicId, payload) => hooks.topicConflict(topicId, payload, 'BoardTransport'),
    onDroppedReply: (reason, packet) => {
      hooks.services.stats?.countDropped(reason);
      hooks.logger.warn(`no reply sent on ${packet.topic}: handling ${reason}`, 'BoardTransport');
    },
  });
}

/** Binds the transport's callbacks to the created app, then starts answering boards. */
async function connectBoardTransport(
  app: INestApplication,
  config: AppConfig,
  transport: BoardMqttServer,
  hooks: BoardHooks,
): Promise<void> {
  hooks.services.stats = app.get(BoardStats);
  const queries = app.get(BoardQueryService);
  hooks.services.queries = queries;
  transport.bindAnswerer((packet) => queries.answer(packet));
  const transportStatus = app.get(BoardTransportStatus);
  transport.status.subscribe((status) => {
    // MqttStatus is a type-only const enum: compare with its runtime value.
    transportStatus.connected = (status as string) === 'connected';
  });
  configureHttp(app, config.TRUST_PROXY);
  // The board path validates and answers by itself (the answerer bound above): HTTP pipes and
  // filters have no work there.
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
}

/** Several instances share the boards (ADR 0004): their dashboards' events travel through the broker. */
async function startLiveRelay(
  app: INestApplication,
  config: AppConfig,
  backendAccount: BackendAccount,
): Promise<LiveRelay | null> {
  if (!config.MQTT_URL || !config.MQTT_SHARED_GROUP) return null;
  const { LiveRelay } = await import('./core/live/live-relay.js');
  return LiveRelay.start(
    {
      url: config.MQTT_URL,
      ...backendAccount,
      group: config.MQTT_SHARED_GROUP,
      presence: app.get(PresenceService),
    },
    app.get(EventBus),
  );
}

function logReady(
  log: Logger,
  config: AppConfig,
  port: number,
  broker: EmbeddedBroker | null,
  relay: LiveRelay | null,
): void {
  log.log(
    `FabOMatic ready: ${config.TLS_CERT_FILE ? 'https' : 'http'} ${config.HOST}:${port}, boards on ${broker ? `embedded broker ${config.BROKER_HOST}:${broker.port}` : 'external broker'}, topic root "${config.MQTT_TOPIC_ROOT}"${relay ? `, instance ${relay.instanceId} of group ${config.MQTT_SHARED_GROUP}` : ''}`,
  );
  if (broker && !config.BOARD_MQTT_USERNAME && !config.MQTT_ALLOW_ANONYMOUS) {
    log.warn(
      'no board credentials: boards cannot connect. Set BOARD_MQTT_USERNAME/PASSWORD (or MQTT_ALLOW_ANONYMOUS=true).',
    );
  }
  log.debug(`configuration: ${JSON.stringify(redactConfig(config))}`);
}

/** `fabomatic serve`: runs until SIGINT/SIGTERM; restarts in-process when asked (database restore). */
export async function serve(config: AppConfig): Promise<void> {
  const stopped = new Promise<'stop'>((resolve) => {
    process.once('SIGINT', () => resolve('stop'));
    process.once('SIGTERM', () => resolve('stop'));
  });
  for (;;) {
    let requestRestart: () => void = () => undefined;
    const restarted = new Promise<'restart'>((resolve) => {
      requestRestart = () => resolve('restart');
    });
    const running = await startApp(config, [
      { provide: AppRestarter, useValue: { available: true, restart: () => requestRestart() } },
    ]);
    const reason = await Promise.race([stopped, restarted]);
    await running.close();
    if (reason === 'stop') return;
  }
}
