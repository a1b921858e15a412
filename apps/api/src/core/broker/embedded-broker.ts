import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { writeToStream } from 'mqtt-packet';
import {
  type BrokerAccounts,
  type BrokerRole,
  authenticateClient,
  boardListenTopicId,
  boardQueryTopicId,
  mayPublish,
  maySubscribe,
  mayUseBoardTopic,
} from './broker-acl';
import type { BoardAccountRegistry } from './board-accounts';
import { InProcessMqttClient, type InProcessBroker } from './in-process-client';
import { TopicPins } from './topic-pins';
import { type RateLimit, TokenBuckets } from './token-buckets';

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly topicRoot: string;
  readonly accounts: BrokerAccounts;
  /**
   * Per-board accounts (issue 11): each may use only its own topic, and the shared account none of
   * theirs. Until they are loaded, no board is let in.
   */
  readonly boardAccounts?: BoardAccountRegistry;
  readonly onRefused?: (reason: string, clientId: string) => void;
  /**
   * A board connection published on a board topic another connection holds: refused (the broker
   * closes that connection, as MQTT 3.1.1 has no negative acknowledgement of a publish).
   */
  readonly onTopicConflict?: (conflict: TopicConflict) => void;
  /** Limits against strangers on the boards' network; each one defaults to {@link BROKER_LIMITS}. */
  readonly limits?: Partial<BrokerLimits>;
  /** A board connection went over its message rate: its publish was refused and it is closed. */
  readonly onRateLimited?: (clientId: string) => void;
}

export interface BrokerLimits {
  /** Largest MQTT packet, checked from its fixed header before it is read (or authenticated). */
  readonly maxPacketBytes: number;
  /** Connections open at once (every address together). */
  readonly maxConnections: number;
  /** Connections open at once from one address (labs whose boards share a NAT address raise it). */
  readonly maxConnectionsPerAddress: number;
  /** A connection that has not sent its CONNECT by then is closed. */
  readonly connectTimeoutMs: number;
  /** Messages a board connection may publish (a burst covers the replay of its offline buffer). */
  readonly boardRate: RateLimit;
}

/** 64 KB covers the relay between instances; a board's messages are under 1 KB. */
const BROKER_LIMITS: BrokerLimits = {
  maxPacketBytes: 64 * 1024,
  maxConnections: 1024,
  maxConnectionsPerAddress: 32,
  connectTimeoutMs: 10_000,
  boardRate: { burst: 200, perSecond: 20 },
};

/** The part of aedes' client this broker reaches into: its MQTT parser (mqtt-packet). */
interface ParsingClient {
  readonly _parser?: {
    packet: { length: number };
    _parseLength?: () => boolean;
    _emitError(error: Error): void;
  };
}

export interface TopicConflict {
  readonly topicId: string;
  readonly clientId: string;
  readonly payload: Buffer;
}

/**
 * Refuses a packet whose remaining length (its fixed header) exceeds `maxBytes`, before its body is
 * read, so before a CONNECT is authenticated: aedes 1.2 and its parser offer no such cap. The parser
 * then reports an error and aedes closes the connection.
 */
function capPacketSize(client: ParsingClient, maxBytes: number): void {
  const parser = client._parser;
  const parseLength = parser?._parseLength;
  if (!parser || !parseLength) throw new Error('aedes changed: its client has no mqtt-packet parser to cap');
  parser._parseLength = function cappedParseLength(this: NonNullable<ParsingClient['_parser']>) {
    const done = parseLength.call(this);
    if (done && this.packet.length > maxBytes) {
      this._emitError(new Error(`packet of ${this.packet.length} bytes, over ${maxBytes}`));
      return false;
    }
    return done;
  };
}

type AuthenticateDone = (error: AuthenticateError | null, success: boolean | null) => void;

/** Error code 4 of MQTT 3.1.1 CONNACK: bad user name or password. */
const BAD_USERNAME_OR_PASSWORD = 4;
/** Error code 2 of MQTT 3.1.1 CONNACK: identifier rejected. */
const IDENTIFIER_REJECTED = 2;
/** Error code 3 of MQTT 3.1.1 CONNACK: server unavailable. */
const SERVER_UNAVAILABLE = 3;

/**
 * The MQTT broker started with the app when no external broker is configured (aedes over TCP). It
 * authenticates boards with their shared account and the backend with its own, and applies the ACL.
 *
 * Boards share one account, so the broker pins each board topic to the connection that first
 * publishes there ({@link TopicPins}): no other connection may query on it while that one lives.
 * A board CONNECT reusing the client id of a connection that holds a topic is refused instead of
 * taking that connection over (MQTT's default), so a stranger cannot kick a board off its topic; the
 * board's own reconnection after a network cut is accepted once its old connection has timed out.
 */
export class EmbeddedBroker {
  private constructor(
    private readonly aedes: Aedes,
    private readonly server: Server,
    /** Every socket the server accepted and that is still open. */
    private readonly sockets: ReadonlySet<Socket>,
  ) {}

  static async start(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    // mqtt-packet (aedes' encoder) would cache every two-byte number as its own Buffer once the
    // first board connects: 65,536 of them, ~7 MB of heap for good. A packet's numbers (its topic's
    // length) are made as it is written instead.
    writeToStream.cacheNumbers = false;
    const roles = new WeakMap<Client, BrokerRole>();
    const pins = new TopicPins<Client>();
    const limits: BrokerLimits = { ...BROKER_LIMITS, ...options.limits };
    const rates = new TokenBuckets<Client>(limits.boardRate);
    const refuse = (reason: string, client: Client | null) => options.onRefused?.(reason, client?.id ?? '?');
    let clients: Readonly<Record<string, Client | undefined>> = {};
    const registry = options.boardAccounts;
    // The topic of each connection of a per-board account, and those connections by topic.
    const ownTopics = new WeakMap<Client, string>();
    const accountClients = new Map<string, Set<Client>>();
    // A rotated or revoked account's live connections go at once, and so does the connection
    // holding the topic when an account is issued (a shared-account one, still subscribed there).
    registry?.onChange((topicId) => {
      for (const client of accountClients.get(topicId) ?? []) client.close();
      accountClients.delete(topicId);
      pins.owner(topicId)?.close();
    });
    const mayUse = (client: Client, topicId: string) =>
      !registry || mayUseBoardTopic(topicId, ownTopics.get(client), (id) => registry.hasAccount(id));
    const refuseConnect = (client: Client, done: AuthenticateDone) => {
      refuse('bad credentials', client);
      done(
        Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }),
        false,
      );
    };
    /** Lets an authenticated client in as `role`, unless it takes a connected board's client id. */
    const admit = (client: Client, role: BrokerRole, done: AuthenticateDone) => {
      const holder = clients[client.id];
      if (role === 'board' && holder && holder !== client && pins.holds(holder)) {
        refuse('client id of a connected board', client);
        const error = Object.assign(new Error('client id in use by a connected board'), {
          returnCode: IDENTIFIER_REJECTED,
        });
        done(error, false);
        return;
      }
      roles.set(client, role);
      // However the connection ends, its topics are freed (idempotent with clientDisconnect).
      (client as unknown as { conn?: NodeJS.EventEmitter }).conn?.once('close', () => {
        pins.release(client);
        rates.forget(client);
      });
      done(null, true);
    };
    /** A per-board account: scrypt runs off the event loop (or a remembered verification is used). */
    const admitBoardAccount = (
      accounts: BoardAccountRegistry,
      client: Client,
      username: string,
      password: Buffer | undefined,
      done: AuthenticateDone,
    ) => {
      accounts.verify(username, password).then(
        (topicId) => {
          if (topicId === null || client.closed) {
            refuseConnect(client, done);
            return;
          }
          ownTopics.set(client, topicId);
          const live = accountClients.get(topicId) ?? new Set<Client>();
          live.add(client);
          accountClients.set(topicId, live);
          (client as unknown as { conn?: NodeJS.EventEmitter }).conn?.once('close', () =>
            accountClients.get(topicId)?.delete(client),
          );
          admit(client, 'board', done);
        },
        () => refuseConnect(client, done),
      );
    };
    const aedes = await Aedes.createBroker({
      connectTimeout: limits.connectTimeoutMs,
      authenticate: (client, username, password, done) => {
        const role = authenticateClient(options.accounts, username, password);
        if (role !== 'backend' && registry && !registry.ready) {
          refuse('board accounts not loaded yet', client);
          done(Object.assign(new Error('server unavailable'), { returnCode: SERVER_UNAVAILABLE }), false);
          return;
        }
        if (role) admit(client, role, done);
        else if (registry && username) admitBoardAccount(registry, client, username, password, done);
        else refuseConnect(client, done);
      },
      authorizePublish: (client, packet, done) => {
        const role = client ? roles.get(client) : 'backend';
        if (!role || !mayPublish(role, packet.topic, options.topicRoot)) {
          refuse(`publish on ${packet.topic}`, client);
          done(new Error('not authorized'));
          return;
        }
        if (role === 'board' && client && !rates.take(client, Date.now())) {
          // MQTT 3.1.1 cannot refuse one publish: the flooding connection is closed, its excess dropped.
          refuse(`more than ${limits.boardRate.burst} messages at once`, client);
          options.onRateLimited?.(client.id);
          done(new Error('message rate over the limit'));
          return;
        }
        const topicId =
          role === 'board' && client ? boardQueryTopicId(packet.topic, options.topicRoot) : null;
        if (client && topicId !== null && !mayUse(client, topicId)) {
          refuse(`publish on ${packet.topic}, a topic of another board account`, client);
          options.onTopicConflict?.({ topicId, clientId: client.id, payload: Buffer.from(packet.payload) });
          done(new Error('topic of another board account'));
          return;
        }
        if (client && topicId !== null && !pins.claim(topicId, client)) {
          refuse(`publish on ${packet.topic}, held by another connection`, client);
          options.onTopicConflict?.({ topicId, clientId: client.id, payload: Buffer.from(packet.payload) });
          done(new Error('topic held by another connection'));
          return;
        }
        done(null);
      },
      authorizeSubscribe: (client, subscription, done) => {
        const role = roles.get(client);
        // Refused with a negative SUBACK (QoS 128), as Mosquitto does, not a dropped connection.
        if (!role || !maySubscribe(role, subscription.topic, options.topicRoot)) {
          refuse(`subscribe to ${subscription.topic}`, client);
          done(null, null);
          return;
        }
        // A board listens to its own topic only: subscribing claims it like publishing does, so no
        // connection reads another live board's replies or its remote starts (the operator's card).
        const topicId = role === 'board' ? boardListenTopicId(subscription.topic, options.topicRoot) : null;
        if (topicId !== null && !mayUse(client, topicId)) {
          refuse(`subscribe to ${subscription.topic}, a topic of another board account`, client);
          done(null, null);
          return;
        }
        if (topicId !== null && !pins.claim(topicId, client)) {
          refuse(`subscribe to ${subscription.topic}, held by another connection`, client);
          done(null, null);
          return;
        }
        done(null, subscription);
      },
    });
    // The connected clients by id (aedes keeps them; its typings do not show the map).
    clients = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients;
    aedes.on('clientDisconnect', (client) => pins.release(client));
    const perAddress = new Map<string, number>();
    const sockets = new Set<Socket>();
    const accept = (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // Counted per address before anything is read: a stranger cannot hold every connection.
      const address = socket.remoteAddress ?? '?';
      const open = perAddress.get(address) ?? 0;
      if (open >= limits.maxConnectionsPerAddress) {
        refuse(`more than ${limits.maxConnectionsPerAddress} connections from ${address}`, null);
        socket.destroy();
        return;
      }
      perAddress.set(address, open + 1);
      socket.once('close', () => {
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
      });
      const client = aedes.handle(socket) as unknown as ParsingClient;
      capPacketSize(client, limits.maxPacketBytes);
    };
    // Replies are small and latency-bound: no Nagle delay on the boards' sockets.
    const server = createServer({ noDelay: true }, accept);
    server.maxConnections = limits.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new EmbeddedBroker(aedes, server, sockets);
  }

  /**
   * The backend's own client, inside this process: it subscribes and publishes through the broker's
   * API, sparing per board message the MQTT encoding and parsing of both directions and their streams.
   */
  connectInProcess(clientId: string): InProcessMqttClient {
    return new InProcessMqttClient(this.aedes as unknown as InProcessBroker, clientId);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  /**
   * Stops accepting first, then closes the broker and its clients, then any socket still open: a
   * board reconnecting while aedes closes would otherwise hold a connection the closed broker never
   * ends, and the listening server (whose close waits for every connection) with it — an in-process
   * restart after a restore then hung until the board gave up.
   */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }
}
