import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import { isLiveEventName, type LiveEventMap, type LiveEventName } from '@fabomatic/contracts';
import type { EventBus } from '../events/event-bus';

/** Topics of the relay: `fabomatic/live/<group>/<instance id>` (ADR 0004). */
export const LIVE_RELAY_PREFIX = 'fabomatic/live';

/** Boards seen by one instance: [topic id, machine id, last seen epoch ms]. */
export type PresenceDigest = readonly (readonly [string, number | null, number])[];

/** Board presence shared between instances (PresenceService). */
export interface PresenceSharing {
  shareWithOtherInstances(): void;
  takeDigest(): PresenceDigest;
  /** Merges another instance's digest (unvalidated input); returns the entries taken. */
  mergeDigest(digest: unknown): number;
}

/** How often each instance tells the others which boards it heard from. */
export const PRESENCE_DIGEST_MS = 2000;

export interface LiveRelayOptions {
  /** The external broker every instance uses. */
  readonly url: string;
  /** The backend account (the ACL lets only it use `fabomatic/live/#`: events carry member names). */
  readonly username?: string;
  readonly password?: string;
  /** MQTT_SHARED_GROUP: the instances sharing the boards, and so the dashboards' events. */
  readonly group: string;
  /** Unique per process; defaults to a random id. */
  readonly instanceId?: string;
  /** Board presence to share, so that every instance knows every board's (ADR 0004). */
  readonly presence?: PresenceSharing;
}

interface RelayMessage {
  readonly name: string;
  readonly payload: unknown;
}

/**
 * Carries live events between the instances sharing the board traffic: each instance publishes
 * the events it produces on its own topic and hands the others' to its dashboards only
 * (`EventBus.deliverRemote`), never back to the relay, so nothing loops. QoS 0 and no queue while
 * disconnected: a dashboard event that cannot be delivered now is not worth delivering later.
 */
export class LiveRelay {
  private readonly logger = new Logger(LiveRelay.name);
  readonly instanceId: string;
  private readonly ownTopic: string;
  private readonly filter: string;
  private readonly presenceTopic: string;
  /** `<prefix>/<group>/presence/`: the others' presence digests arrive below it. */
  private readonly presencePrefix: string;
  private readonly client: MqttClient;
  private readonly untap: () => void;
  private readonly digestTimer: NodeJS.Timeout | null;
  /** Events received from other instances (tests, diagnostics). */
  received = 0;

  private constructor(
    options: LiveRelayOptions,
    private readonly live: EventBus,
  ) {
    this.instanceId = options.instanceId ?? randomBytes(6).toString('hex');
    this.ownTopic = `${LIVE_RELAY_PREFIX}/${options.group}/${this.instanceId}`;
    this.filter = `${LIVE_RELAY_PREFIX}/${options.group}/+`;
    this.presencePrefix = `${LIVE_RELAY_PREFIX}/${options.group}/presence/`;
    this.presenceTopic = `${this.presencePrefix}${this.instanceId}`;
    this.client = connect(options.url, {
      username: options.username,
      password: options.password,
      clientId: `fabomatic-live-${this.instanceId}`,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      queueQoSZero: false,
    });
    const presence = options.presence;
    const filters = presence ? [this.filter, `${this.presencePrefix}+`] : [this.filter];
    this.client.on('connect', () => {
      this.client.subscribe(filters, { qos: 0 }, (error) => {
        if (error)
          this.logger.error(`live relay cannot subscribe to ${filters.join(', ')}: ${error.message}`);
      });
    });
    this.client.on('error', (error) => this.logger.warn(`live relay: ${error.message}`));
    this.client.on('message', (topic, payload) =>
      topic.startsWith(this.presencePrefix)
        ? this.receivePresence(topic, payload, presence)
        : this.receive(topic, payload),
    );
    this.untap = live.tap((name, payload) => this.send(name, payload));
    if (presence) {
      presence.shareWithOtherInstances();
      this.digestTimer = setInterval(() => this.sendPresence(presence), PRESENCE_DIGEST_MS);
      this.digestTimer.unref();
    } else {
      this.digestTimer = null;
    }
  }

  /** Connects (waiting at most `timeoutMs`: the relay keeps trying in the background after that). */
  static async start(options: LiveRelayOptions, live: EventBus, timeoutMs = 5000): Promise<LiveRelay> {
    const relay = new LiveRelay(options, live);
    await relay.connected(timeoutMs);
    return relay;
  }

  private connected(timeoutMs: number): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.logger.warn('live relay not connected yet: dashboards see this instance only until it is');
        resolve();
      }, timeoutMs);
      this.client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private send<K extends LiveEventName>(name: K, payload: LiveEventMap[K]): void {
    if (!this.client.connected) return;
    const message: RelayMessage = { name, payload };
    this.client.publish(this.ownTopic, JSON.stringify(message), { qos: 0, retain: false });
  }

  private receive(topic: string, payload: Buffer): void {
    if (topic === this.ownTopic || !topic.startsWith(`${LIVE_RELAY_PREFIX}/`)) return;
    let message: Partial<RelayMessage>;
    try {
      message = JSON.parse(payload.toString('utf8')) as Partial<RelayMessage>;
    } catch {
      this.logger.warn(`live relay: ignored a message that is not JSON on ${topic}`);
      return;
    }
    const { name } = message;
    // What may travel between instances: exactly the events dashboards receive.
    if (typeof name !== 'string' || !isLiveEventName(name) || typeof message.payload !== 'object') {
      this.logger.warn(`live relay: ignored an unknown event on ${topic}`);
      return;
    }
    this.received += 1;
    this.live.deliverRemote(name, message.payload as LiveEventMap[LiveEventName]);
  }

  private sendPresence(presence: PresenceSharing): void {
    if (!this.client.connected) return;
    const seen = presence.takeDigest();
    if (seen.length === 0) return;
    this.client.publish(this.presenceTopic, JSON.stringify({ seen }), { qos: 0, retain: false });
  }

  private receivePresence(topic: string, payload: Buffer, presence: PresenceSharing | undefined): void {
    if (!presence || topic === this.presenceTopic) return;
    try {
      const message = JSON.parse(payload.toString('utf8')) as { seen?: unknown } | null;
      presence.mergeDigest(message?.seen);
    } catch {
      this.logger.warn(`live relay: ignored a presence message that is not JSON on ${topic}`);
    }
  }

  async close(): Promise<void> {
    if (this.digestTimer) clearInterval(this.digestTimer);
    this.untap();
    await this.client.endAsync();
  }
}
