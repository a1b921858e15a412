import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { MqttClient } from 'mqtt';
import {
  DEFAULT_TOPIC_ROOT,
  FIRMWARE_PAYLOADS,
  queryTopic,
  replyTopicFor,
  requestTopic,
} from '@fabomatic/board-protocol';
import { openMqttClient, subscribeAll, type MqttConnection } from './mqtt-connect';

/** The firmware waits this long for a reply, then gives up. */
export const BOARD_REPLY_TIMEOUT_MS = 2000;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SimulatedBoardOptions extends MqttConnection {
  /** Topic root, `machine` by default. */
  readonly topicRoot?: string;
  /** The board's id as typed in its setup portal, kept as typed (`1`, `012`). */
  readonly topicId: string;
}

export interface QueryOptions {
  /** `false` for `alive`: publish and return at once (default true). */
  readonly expectReply?: boolean;
  /** Default 2000 ms, like the firmware. */
  readonly timeoutMs?: number;
}

/** The first message on the reply topic while the query was in flight. */
export interface ReplyResult {
  readonly status: 'reply';
  /** The parsed payload when it is a JSON object, else null (see `raw`). */
  readonly reply: JsonObject | null;
  readonly raw: string;
  readonly latencyMs: number;
}
export interface TimeoutResult {
  readonly status: 'timeout';
  readonly latencyMs: number;
}
/** Published a query that needs no reply (`alive`). */
export interface SentResult {
  readonly status: 'sent';
}
export type QueryResult = ReplyResult | TimeoutResult | SentResult;

/** A message on `/reply` while no query was in flight: a protocol violation. */
export interface UnexpectedReply {
  readonly topic: string;
  readonly raw: string;
  readonly receivedAt: number;
  /** The last query sent before it, if any (e.g. the `alive` it answered, or a timed-out query). */
  readonly afterQuery: string | null;
}

/** A command received on `/request`. */
export interface ReceivedRequest {
  readonly topic: string;
  readonly raw: string;
  /** Parsed payload when it is a JSON object, else null. */
  readonly command: JsonObject | null;
  readonly receivedAt: number;
}

interface SimulatedBoardEvents {
  request: [ReceivedRequest];
  unexpected: [UnexpectedReply];
}

interface InFlight {
  readonly startedAt: number;
  readonly settle: (result: QueryResult) => void;
  readonly fail: (error: Error) => void;
}

function parseJsonObject(raw: string): JsonObject | null {
  try {
    const value = JSON.parse(raw) as JsonValue;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function randomBoardClientId(): string {
  return `BOARD${Math.floor(Math.random() * 1000)}`;
}

/**
 * A Fab-O-Matic board on MQTT: queries on `<root>/<id>`, takes the first message on
 * `<root>/<id>/reply` as the answer of its single query in flight, receives commands on
 * `<root>/<id>/request`. Concurrent queries are serialised, like the firmware's loop.
 */
export class SimulatedBoard extends EventEmitter<SimulatedBoardEvents> {
  readonly topicRoot: string;
  readonly topicId: string;
  readonly queryTopic: string;
  readonly replyTopic: string;
  readonly requestTopic: string;
  /** Commands received on `/request`, oldest first. */
  readonly requests: ReceivedRequest[] = [];
  /** Messages on `/reply` that answered no query in flight. */
  readonly unexpectedReplies: UnexpectedReply[] = [];

  private client: MqttClient | null = null;
  private inFlight: InFlight | null = null;
  private lastQuery: string | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private lastError: Error | null = null;

  constructor(private readonly options: SimulatedBoardOptions) {
    super();
    this.topicRoot = options.topicRoot ?? DEFAULT_TOPIC_ROOT;
    this.topicId = options.topicId;
    this.queryTopic = queryTopic(this.topicRoot, this.topicId);
    this.replyTopic = replyTopicFor(this.queryTopic);
    this.requestTopic = requestTopic(this.topicRoot, this.topicId);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** The last error the MQTT client reported after connecting, if any. */
  get error(): Error | null {
    return this.lastError;
  }

  async connect(): Promise<void> {
    if (this.client) throw new Error(`board ${this.topicId} is already connected`);
    const client = await openMqttClient(this.options, randomBoardClientId());
    client.on('error', (error) => {
      this.lastError = error;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client = client;
    try {
      await subscribeAll(client, [this.replyTopic, this.requestTopic]);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Disconnects; a query still in flight rejects. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    const inFlight = this.inFlight;
    this.inFlight = null;
    inFlight?.fail(new Error(`board ${this.topicId} closed with a query in flight`));
    if (client) await client.endAsync(true);
  }

  /**
   * Publishes `payload` on the query topic once the previous query is settled, and resolves with
   * the first message on the reply topic, or a timeout result after `timeoutMs`. Rejects only when
   * the query could not be published (not connected, client error).
   */
  query(payload: string, options: QueryOptions = {}): Promise<QueryResult> {
    const run = (): Promise<QueryResult> => this.runQuery(payload, options);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Publishes a raw payload on the query topic, outside the query queue; no reply is awaited. */
  async publishRaw(payload: string | Buffer): Promise<void> {
    await this.requireClient().publishAsync(this.queryTopic, payload, { qos: 0, retain: false });
  }

  checkuser(uid: string, options?: QueryOptions): Promise<QueryResult> {
    return this.query(FIRMWARE_PAYLOADS.checkuser(uid), options);
  }

  checkmachine(options?: QueryOptions): Promise<QueryResult> {
    return this.query(FIRMWARE_PAYLOADS.checkmachine(), options);
  }

  /** `alive` never gets a reply: anything arriving on `/reply` after it is recorded as unexpected. */
  alive(serial?: string): Promise<QueryResult> {
    return this.query(FIRMWARE_PAYLOADS.alive(serial), { expectReply: false });
  }

  startuse(uid: string, replay = false, options?: QueryOptions): Promise<QueryResult> {
    const payload = replay ? FIRMWARE_PAYLOADS.startuseReplay(uid) : FIRMWARE_PAYLOADS.startuse(uid);
    return this.query(payload, options);
  }

  inuse(uid: string, durationSeconds: number, options?: QueryOptions): Promise<QueryResult> {
    return this.query(FIRMWARE_PAYLOADS.inuse(uid, durationSeconds), options);
  }

  stopuse(
    uid: string,
    durationSeconds: number,
    replay = false,
    options?: QueryOptions,
  ): Promise<QueryResult> {
    const payload = replay
      ? FIRMWARE_PAYLOADS.stopuseReplay(uid, durationSeconds)
      : FIRMWARE_PAYLOADS.stopuse(uid, durationSeconds);
    return this.query(payload, options);
  }

  maintenance(uid: string, replay = false, options?: QueryOptions): Promise<QueryResult> {
    const payload = replay ? FIRMWARE_PAYLOADS.maintenanceReplay(uid) : FIRMWARE_PAYLOADS.maintenance(uid);
    return this.query(payload, options);
  }

  /** Resolves with the next `/request` command (or rejects after `timeoutMs`). */
  nextRequest(timeoutMs = BOARD_REPLY_TIMEOUT_MS): Promise<ReceivedRequest> {
    return new Promise<ReceivedRequest>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', onRequest);
        reject(new Error(`board ${this.topicId}: no request within ${timeoutMs} ms`));
      }, timeoutMs);
      const onRequest = (request: ReceivedRequest): void => {
        clearTimeout(timer);
        resolve(request);
      };
      this.once('request', onRequest);
    });
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error(`board ${this.topicId} is not connected`);
    return this.client;
  }

  private async runQuery(payload: string, options: QueryOptions): Promise<QueryResult> {
    const client = this.requireClient();
    const expectReply = options.expectReply ?? true;
    const timeoutMs = options.timeoutMs ?? BOARD_REPLY_TIMEOUT_MS;
    this.lastQuery = payload;
    if (!expectReply) {
      await client.publishAsync(this.queryTopic, payload, { qos: 0, retain: false });
      return { status: 'sent' };
    }
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<QueryResult>((resolve, reject) => {
      this.inFlight = { startedAt, settle: resolve, fail: reject };
      timer = setTimeout(() => {
        this.inFlight = null;
        resolve({ status: 'timeout', latencyMs: performance.now() - startedAt });
      }, timeoutMs);
    });
    void answered.catch(() => undefined); // handled below; avoids an unhandled rejection if publish fails first
    try {
      await client.publishAsync(this.queryTopic, payload, { qos: 0, retain: false });
      return await answered;
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const raw = payload.toString('utf8');
    if (topic === this.replyTopic) {
      const inFlight = this.inFlight;
      if (inFlight) {
        this.inFlight = null;
        inFlight.settle({
          status: 'reply',
          reply: parseJsonObject(raw),
          raw,
          latencyMs: performance.now() - inFlight.startedAt,
        });
        return;
      }
      const unexpected: UnexpectedReply = { topic, raw, receivedAt: Date.now(), afterQuery: this.lastQuery };
      this.unexpectedReplies.push(unexpected);
      this.emit('unexpected', unexpected);
    } else if (topic === this.requestTopic) {
      const request: ReceivedRequest = { topic, raw, command: parseJsonObject(raw), receivedAt: Date.now() };
      this.requests.push(request);
      this.emit('request', request);
    }
  }
}
