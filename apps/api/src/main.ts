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

  if (databaseKind(config.DATABASE_URL) === 'sqlite' && sqlitePath(config.DATABASE_URL) !== ':memory:') {
    const kept = await applyPendingRestore(sqlitePath(config.DATABASE_URL));
    if (kept) log.warn(`database replaced by the uploaded restore; the previous one is kept as ${kept}`);
  }

  // Services of the app, bound once it is created (the broker and the transport start before it).
  const counters: { stats?: BoardStats; queries?: BoardQueryService } = {};
  // Per-board broker accounts: loaded from the database by the app, read by the embedded broker.
  const boardAccounts = new BoardAccountRegistry();
  let broker: EmbeddedBroker | null = null;
  const boardRate = { burst: config.BOARD_RATE_LIMIT_BURST, perSecond: config.BOARD_RATE_LIMIT_PER_SECOND };
  // Messages over a board's rate are counted each, logged at most every 10 s (a flood must not flood the log).
  let rateLog = { at: 0, suppressed: 0 };
  const rateLimited = (scope: 'topic' | 'connection', source: string) => {
    counters.stats?.countRateLimited(scope);
    const now = Date.now();
    if (now - rateLog.at < 10_000) {
      rateLog.suppressed += 1;
      return;
    }
    const more = rateLog.suppressed > 0 ? ` (and ${rateLog.suppressed} more since the last report)` : '';
    logger.warn(`board messages over the rate limit dropped: ${scope} ${source}${more}`, 'BoardTransport');
    rateLog = { at: now, suppressed: 0 };
  };
  let brokerUrl = config.MQTT_URL;
  if (!brokerUrl) {
    // Loaded only when used: on an external broker, aedes would hold idle memory for nothing.
    const { EmbeddedBroker } = await import('./core/broker/embedded-broker.js');
    broker = await EmbeddedBroker.start({
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
        boardRate,
      },
      onRefused: (reason, clientId) => logger.warn(`broker refused ${clientId}: ${reason}`, 'EmbeddedBroker'),
      onRateLimited: (clientId) => rateLimited('connection', clientId),
      onTopicConflict: ({ topicId, payload }) => {
        counters.queries?.recordTopicConflict(topicId, payload).catch((error: unknown) => {
          logger.error(`topic conflict on ${topicId} not recorded: ${String(error)}`, 'EmbeddedBroker');
        });
      },
    });
    brokerUrl = `mqtt://127.0.0.1:${broker.port}`;
  }

  const external = new URL(brokerUrl);
  const brokerInfo: BrokerInfo = {
    embedded: broker !== null,
    url: broker ? `mqtt://${config.BROKER_HOST}:${broker.port}` : external.host,
    host: broker ? config.BROKER_HOST : external.hostname,
    port: broker ? broker.port : Number(external.port || (external.protocol === 'mqtts:' ? 8883 : 1883)),
    tls: !broker && external.protocol === 'mqtts:',
  };
  const transport = new BoardMqttServer({
    url: brokerUrl,
    username: backendAccount.username,
    password: backendAccount.password,
    topicRoot: config.MQTT_TOPIC_ROOT,
    sharedGroup: config.MQTT_URL ? config.MQTT_SHARED_GROUP : undefined,
    connectInProcess: broker ? (clientId) => broker.connectInProcess(clientId) : undefined,
    rateLimit: boardRate,
    onRateLimited: (topic) => rateLimited('topic', topic),
    onTopicConflict: (topicId, payload) => {
      counters.queries?.recordTopicConflict(topicId, payload).catch((error: unknown) => {
        logger.error(`topic conflict on ${topicId} not recorded: ${String(error)}`, 'BoardTransport');
      });
    },
    onDroppedReply: (reason, packet) => {
      counters.stats?.countDropped(reason);
      logger.warn(`no reply sent on ${packet.topic}: handling ${reason}`, 'BoardTransport');
    },
  });
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
  counters.stats = app.get(BoardStats);
  counters.queries = app.get(BoardQueryService);
  const transportStatus = app.get(BoardTransportStatus);
  transport.status.subscribe((status) => {
    // MqttStatus is a type-only const enum: compare with its runtime value.
    transportStatus.connected = (status as string) === 'connected';
  });
  configureHttp(app, config.TRUST_PROXY);
  // The board path validates and answers by itself: HTTP pipes and filters have no work there.
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  const stats = LegacyStatsPublisher.start({
    client: transport.client,
    topicRoot: config.MQTT_TOPIC_ROOT,
    topicPrefix: config.STATS_TOPIC_PREFIX,
    intervalMs: config.STATS_INTERVAL_SECONDS * 1000,
  });
  // Several instances share the boards (ADR 0004): their dashboards' events travel through the broker.
  let relay: LiveRelay | null = null;
  if (config.MQTT_URL && config.MQTT_SHARED_GROUP) {
    const { LiveRelay } = await import('./core/live/live-relay.js');
    relay = await LiveRelay.start(
      {
        url: config.MQTT_URL,
        ...backendAccount,
        group: config.MQTT_SHARED_GROUP,
        presence: app.get(PresenceService),
      },
      app.get(EventBus),
    );
  }
  await app.listen(config.PORT, config.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const httpUrl = `${config.TLS_CERT_FILE ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  log.log(
    `FabOMatic ready: ${config.TLS_CERT_FILE ? 'https' : 'http'} ${config.HOST}:${address.port}, boards on ${broker ? `embedded broker ${config.BROKER_HOST}:${broker.port}` : 'external broker'}, topic root "${config.MQTT_TOPIC_ROOT}"${relay ? `, instance ${relay.instanceId} of group ${config.MQTT_SHARED_GROUP}` : ''}`,
  );
  if (broker && !config.BOARD_MQTT_USERNAME && !config.MQTT_ALLOW_ANONYMOUS) {
    log.warn(
      'no board credentials: boards cannot connect. Set BOARD_MQTT_USERNAME/PASSWORD (or MQTT_ALLOW_ANONYMOUS=true).',
    );
  }
  log.debug(`configuration: ${JSON.stringify(redactConfig(config))}`);

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
