import type { MqttClient } from 'mqtt';
import { openMqttClient, subscribeAll, type MqttConnection } from './mqtt-connect';

// No workspace path alias here: the benchmark loads this module in a worker thread, where the
// runtime alias resolver of the main thread is not installed.

const ECHO_REPLY = '{"request_ok":true}';
/** The firmware's `alive` never gets a reply, not even from the echo baseline. */
const ALIVE_MARKER = Buffer.from('"action":"alive"');

export interface EchoResponderOptions extends MqttConnection {
  /** Root of the topics to answer (`<root>/+`); use one the real backend does not serve. */
  readonly topicRoot: string;
}

/**
 * The baseline of the benchmark: answers every query on `<root>/<id>` with `{"request_ok":true}` on
 * `<root>/<id>/reply` at once, without looking at it (except to stay silent on `alive`).
 */
export class EchoResponder {
  /** Replies published so far. */
  answered = 0;
  private client: MqttClient | null = null;

  constructor(private readonly options: EchoResponderOptions) {}

  async start(): Promise<void> {
    if (this.client) throw new Error('echo responder already started');
    const client = await openMqttClient(
      this.options,
      `echo-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
    );
    client.on('error', () => undefined);
    client.on('message', (topic, payload) => {
      if (payload.includes(ALIVE_MARKER)) return;
      this.answered++;
      client.publish(`${topic}/reply`, ECHO_REPLY, { qos: 0, retain: false });
    });
    this.client = client;
    try {
      await subscribeAll(client, [`${this.options.topicRoot}/+`]);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }
}
