import type { Socket } from 'node:net';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Logger } from '@nestjs/common';
import { MqttContext, ServerMqtt, type ReadPacket } from '@nestjs/microservices';
import {
  type BoardAction,
  type BoardParseError,
  type BoardReply,
  MAX_QUERY_BYTES,
  encodeReply,
  querySubscription,
  refusalReply,
  replyTopicFor,
  topicIdFromQueryTopic,
  validateBoardQuery,
} from '@fabomatic/board-protocol';
import type { InProcessMqttClient } from '../../core/broker/in-process-client';
import { type RateLimit, TokenBuckets } from '../../core/broker/token-buckets';
import { type BoardAnswerer, BOARD_QUERY_PATTERN, type BoardPacket, needsReply } from './board-packet';
import { qos0PublishPacket } from './publish-packet';

/** Refuses bytes that are not UTF-8 (a lossy decode would turn them into U+FFFD). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The board waits 2 s; a later reply would become the answer to its next query. */
export const REPLY_DEADLINE_MS = 1800;

export interface BoardTransportOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly topicRoot: string;
  /** Set when several instances share the board traffic (MQTT shared subscription group). */
  readonly sharedGroup?: string;
  readonly onDroppedReply?: (reason: 'late' | 'failed', packet: BoardPacket) => void;
  /** A client inside this process, on the embedded broker's API, instead of dialling `url`. */
  readonly connectInProcess?: (clientId: string) => InProcessMqttClient;
  /** Messages a board topic may send (a token bucket); the excess is dropped: no reply, no write. */
  readonly rateLimit?: RateLimit;
  readonly onRateLimited?: (topic: string) => void;
  /**
   * External broker only (the embedded one pins topics to connections): two queries on one topic
   * whose replies would overlap were both denied. Called for each, with its raw payload.
   */
  readonly onTopicConflict?: (topicId: string, payload: Buffer) => void;
}

/** A reply-needing query being answered on a topic (external broker): denied if another overlaps. */
interface InFlightQuery {
  overlapped: boolean;
}

/** The denial sent for a query whose reply would overlap another's: never a grant, never a fallback. */
const overlapDenial = (action: BoardAction | undefined): BoardReply => refusalReply(action, 'topic conflict');

interface ResponsePacket {
  readonly id?: string;
  readonly response?: unknown;
  readonly err?: unknown;
}

/**
 * NestJS MQTT transport speaking the boards' raw JSON. Every board message goes to the one
 * {@link BoardAnswerer} bound at start-up (`BoardQueryService.answer`), called directly: as a request
 * (with an id) when the board waits for an answer, as an event otherwise, so a query gets exactly one
 * reply and `alive` or garbage none. Replies go to `<topic>/reply` as bare JSON sized for the board
 * buffer, QoS 0, not retained; a failed or late handling sends nothing.
 */
export class BoardMqttServer extends ServerMqtt {
  private sequence = 0;
  /** What answers board messages; bound before the transport listens (see `bindAnswerer`). */
  private answerer: BoardAnswerer | null = null;
  private readonly log = new Logger('BoardTransport');
  /** The socket held corked until the current tick's work is done, if any (see `sendReply`). */
  private corked: Partial<Socket> | null = null;

  private readonly clientOptions: IClientOptions;
  private readonly topicRates: TokenBuckets<string> | null;
  /**
   * The reply-needing queries being answered, by topic, when the broker is external (it shows no
   * connections, so a forged query cannot be told from the board's own): null on the embedded one.
   */
  private readonly inFlight: Map<string, InFlightQuery> | null;

  constructor(private readonly board: BoardTransportOptions) {
    const clientOptions = {
      username: board.username,
      password: board.password,
      protocolVersion: 4,
      clientId: `fabomatic-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 500,
      connectTimeout: 5000,
      // mqtt-packet's cache of the 65,536 two-byte numbers is 65,536 Buffers (~7 MB of heap held for
      // good): a reply writes one number (its topic's length), made on the fly instead.
      writeCache: false,
      // mqtt.js logs through `debug` a dozen times a packet, each call checking whether it is on
      // (~2 % of the board path's CPU): kept only when DEBUG asks for some library's log.
      ...(process.env['DEBUG'] ? {} : { log: () => undefined }),
    } satisfies IClientOptions;
    super({
      ...clientOptions,
      url: board.url,
      subscribeOptions: { qos: 0 },
      deserializer: {
        deserialize: (value: unknown, options?: Record<string, unknown>) => this.toPacket(value, options),
      },
    });
    this.clientOptions = clientOptions;
    this.topicRates = board.rateLimit ? new TokenBuckets(board.rateLimit) : null;
    this.inFlight = board.connectInProcess ? null : new Map();
  }

  /**
   * Binds what answers every board message. Called directly, not through Nest's RPC pipeline (pipes,
   * guards, interceptors, exception filters, of which the board path has none: its validation is
   * `validateBoardQuery`): that pipeline's per-message objects and promises cost ~8 % of the board
   * path's CPU (docs/performance.md, the twentieth session).
   */
  bindAnswerer(answerer: BoardAnswerer): void {
    this.answerer = answerer;
  }

  /**
   * Nest decodes payloads lossily (invalid UTF-8 becomes U+FFFD) and of any size: a payload no board
   * could send is refused here, on its raw bytes, and handled as the malformed event it is.
   */
  override async handleMessage(
    channel: string,
    buffer: Buffer,
    pub: MqttClient,
    originalPacket?: Record<string, unknown>,
  ): Promise<void> {
    // Per topic, whatever the broker (an external one shows no connections): one Map lookup.
    if (this.topicRates && !this.topicRates.take(channel, Date.now())) {
      this.board.onRateLimited?.(channel);
      return;
    }
    let problem: BoardParseError | null = buffer.byteLength > MAX_QUERY_BYTES ? 'too-large' : null;
    let text = '';
    if (!problem) {
      try {
        text = strictUtf8.decode(buffer);
      } catch {
        problem = 'not-utf8';
      }
    }
    if (!problem) {
      await this.handleQuery(channel, text, pub, originalPacket ?? {}, buffer);
      return;
    }
    await this.handleBoardEvent({
      topic: channel,
      topicId: topicIdFromQueryTopic(channel, this.board.topicRoot) ?? '',
      receivedAt: Date.now(),
      parsed: { ok: false, error: problem },
    });
  }

  /** A message the board waits no answer for (`alive`, garbage): handled, never answered. */
  private async handleBoardEvent(data: BoardPacket): Promise<void> {
    if (data.topicId === '') return; // not a board's topic: no board to count it for
    try {
      if (!this.answerer) throw new Error('no board answerer bound');
      await this.answerer(data);
    } catch (error) {
      this.log.error(`board message on ${data.topic} not handled: ${String(error)}`);
    }
  }

  /**
   * Nest's request path without its per-message machinery: the answerer awaited directly instead of
   * through the RPC context, an RxJS pipeline and a next-tick queue, which cost more CPU than the
   * board's answer itself under the firmware's mix (profiled, docs/performance.md).
   */
  private async handleQuery(
    channel: string,
    text: string,
    pub: MqttClient,
    originalPacket: Record<string, unknown>,
    payload: Buffer,
  ): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text; // not JSON: `toPacket` makes it the malformed event it is
    }
    const packet = this.toPacket(value, { channel });
    const data = packet.data as BoardPacket;
    if (packet.id === undefined) {
      await this.handleBoardEvent(data);
      return;
    }
    const publish = this.getPublisher(pub, new MqttContext([channel, originalPacket]), packet.id);
    const answerer = this.answerer;
    if (!answerer || data.topicId === '') {
      publish({ id: packet.id, err: answerer ? 'not a board topic' : 'no board answerer bound' });
      return;
    }
    const action = data.parsed.ok ? data.parsed.query.action : data.parsed.action;
    // External broker: a second query on a topic while the first is being answered means two
    // senders on one topic (the board waits for its reply before its next query). Both are denied.
    const inFlight = this.inFlight;
    let query: InFlightQuery | null = null;
    if (inFlight) {
      const current = inFlight.get(channel);
      if (current) {
        current.overlapped = true;
        this.board.onTopicConflict?.(data.topicId, payload);
        publish({ id: packet.id, response: overlapDenial(action) });
        return;
      }
      query = { overlapped: false };
      inFlight.set(channel, query);
    }
    let response: unknown;
    try {
      response = await answerer(data);
    } catch (err) {
      publish({ id: packet.id, err: err ?? 'failed' });
      return;
    } finally {
      if (query && inFlight?.get(channel) === query) inFlight.delete(channel);
    }
    if (query?.overlapped) {
      this.board.onTopicConflict?.(data.topicId, payload);
      response = overlapDenial(action);
    }
    publish({ id: packet.id, response });
  }

  override createMqttClient(): Promise<MqttClient> {
    const inProcess = this.board.connectInProcess;
    if (!inProcess) return super.createMqttClient();
    // The in-process client offers the part of MqttClient that Nest's transport and ours use.
    return Promise.resolve(inProcess(this.clientOptions.clientId ?? 'fabomatic') as unknown as MqttClient);
  }

  /** The live MQTT client (after `listen`), used to publish board commands. */
  get client(): MqttClient {
    return this.unwrap<MqttClient>();
  }

  private toPacket(value: unknown, options?: Record<string, unknown>): ReadPacket & { id?: string } {
    const topic = typeof options?.['channel'] === 'string' ? options['channel'] : '';
    const parsed =
      typeof value === 'string' ? ({ ok: false, error: 'not-json' } as const) : validateBoardQuery(value);
    const data: BoardPacket = {
      topic,
      topicId: topicIdFromQueryTopic(topic, this.board.topicRoot) ?? '',
      receivedAt: Date.now(),
      parsed,
    };
    const packet = { pattern: BOARD_QUERY_PATTERN, data };
    return needsReply(parsed) ? { ...packet, id: String(++this.sequence) } : packet;
  }

  override bindEvents(client: MqttClient): void {
    // A reply is one small packet: send it now instead of waiting for the previous one's ACK (Nagle).
    client.on('connect', () => (client.stream as Partial<Socket> | undefined)?.setNoDelay?.(true));
    const handle = this.getMessageHandler(client).bind(this);
    client.on('message', (topic, payload, packet) => void handle(topic, payload, packet));
    const filter = querySubscription(this.board.topicRoot);
    client.subscribe(this.board.sharedGroup ? `$share/${this.board.sharedGroup}/${filter}` : filter, {
      qos: 0,
    });
  }

  override getPublisher(client: MqttClient, context: MqttContext, _id: string) {
    const topic = context.getTopic();
    const receivedAt = Date.now();
    return (packet: ResponsePacket) => {
      const reply = packet.response as BoardReply | null | undefined;
      if (packet.err !== undefined && packet.err !== null) {
        this.board.onDroppedReply?.('failed', this.describe(topic, receivedAt));
        return;
      }
      if (!reply) return;
      if (Date.now() - receivedAt > REPLY_DEADLINE_MS) {
        this.board.onDroppedReply?.('late', this.describe(topic, receivedAt));
        return;
      }
      this.sendReply(client, replyTopicFor(topic), reply);
    };
  }

  /**
   * Publishes a reply, the socket to an external broker corked until the current callbacks and
   * promise jobs are done: the replies released by one group commit leave in one write instead of
   * one system call each (a write per reply was the biggest single cost on that path), and none
   * waits for the next poll of the event loop. The in-process client has no socket.
   */
  private sendReply(client: MqttClient, topic: string, reply: BoardReply): void {
    const stream = client.stream as Partial<Socket> | undefined;
    if (stream?.cork && stream.uncork && this.corked !== stream) {
      stream.cork();
      this.corked = stream;
      process.nextTick(() => {
        if (this.corked === stream) this.corked = null;
        stream.uncork?.();
      });
    }
    const payload = encodeReply(topic, reply);
    // Connected to an external broker: the packet mqtt.js would send, written as one buffer (its
    // `publish` builds objects, checks queues and logs per packet: ~4 % of the board path's CPU).
    // Otherwise (the in-process client, a reconnection) mqtt.js decides.
    if (stream?.write && stream.writable && client.connected && !client.disconnecting) {
      stream.write(qos0PublishPacket(topic, payload));
      return;
    }
    client.publish(topic, payload, { qos: 0, retain: false });
  }

  private describe(topic: string, receivedAt: number): BoardPacket {
    return {
      topic,
      topicId: topicIdFromQueryTopic(topic, this.board.topicRoot) ?? '',
      receivedAt,
      parsed: { ok: false, error: 'invalid-fields' },
    };
  }
}
