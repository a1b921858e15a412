import { hostname, networkInterfaces } from 'node:os';
import type { MqttClient, Packet } from 'mqtt';
import { topicIdFromQueryTopic } from '@fabomatic/board-protocol';

export interface LegacyStatsOptions {
  /** The backend's MQTT client (the board transport's): the topic carries its client id. */
  readonly client: MqttClient;
  readonly topicRoot: string;
  /** STATS_TOPIC_PREFIX: the message goes to `<prefix>/<client id>`. */
  readonly topicPrefix: string;
  /** STATS_INTERVAL_SECONDS in ms; 0 disables. */
  readonly intervalMs: number;
}

/** The legacy backend's stats message, field names and all. */
export interface LegacyStatsMessage {
  readonly Connected: boolean;
  readonly 'Backend host': string;
  readonly 'Backend IP': string;
  /** Board messages received since start (queries, alive, malformed). */
  readonly Received: number;
  /** Messages sent to boards since start (replies and commands). */
  readonly Sent: number;
}

/** The first non-internal IPv4 address, as the legacy backend reported; loopback if none. */
export function backendIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

/**
 * Publishes `{"Connected":..,"Backend host":..,"Backend IP":..,"Received":..,"Sent":..}` every few
 * seconds on `stats/<client id>` (QoS 0, not retained), like the legacy backend, for the tools labs
 * point at it. Counts are taken on the MQTT client's own packets: every publish received on a board
 * query topic, every publish sent under the topic root (replies and commands).
 */
export class LegacyStatsPublisher {
  private received = 0;
  private sent = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly host = hostname();
  private readonly ip = backendIp();
  readonly topic: string;

  private readonly onReceive = (packet: Packet) => {
    if (packet.cmd === 'publish' && topicIdFromQueryTopic(packet.topic, this.options.topicRoot) !== null) {
      this.received += 1;
    }
  };

  private readonly onSend = (packet: Packet) => {
    if (packet.cmd === 'publish' && packet.topic.startsWith(`${this.options.topicRoot}/`)) this.sent += 1;
  };

  private constructor(private readonly options: LegacyStatsOptions) {
    this.topic = `${options.topicPrefix}/${options.client.options.clientId ?? 'fabomatic'}`;
    options.client.on('packetreceive', this.onReceive);
    options.client.on('packetsend', this.onSend);
    this.timer = setInterval(() => this.publish(), options.intervalMs);
    this.timer.unref();
  }

  /** Starts publishing, or returns null when disabled (interval 0). */
  static start(options: LegacyStatsOptions): LegacyStatsPublisher | null {
    return options.intervalMs > 0 ? new LegacyStatsPublisher(options) : null;
  }

  message(): LegacyStatsMessage {
    return {
      Connected: this.options.client.connected,
      'Backend host': this.host,
      'Backend IP': this.ip,
      Received: this.received,
      Sent: this.sent,
    };
  }

  private publish(): void {
    if (!this.options.client.connected) return;
    this.options.client.publish(this.topic, JSON.stringify(this.message()), { qos: 0, retain: false });
  }

  stop(): void {
    clearInterval(this.timer);
    this.options.client.off('packetreceive', this.onReceive);
    this.options.client.off('packetsend', this.onSend);
  }
}
