import { EventEmitter } from 'node:events';
import type { IClientPublishOptions, IClientSubscribeOptions, Packet } from 'mqtt';

/** What the backend's client needs of the embedded broker (aedes' programmatic API). */
export interface InProcessBroker {
  subscribe(
    topic: string,
    deliver: (packet: BrokerPacket, done: () => void) => void,
    subscribed: (error?: Error) => void,
  ): void;
  unsubscribe(topic: string, deliver: (packet: BrokerPacket, done: () => void) => void): void;
  publish(packet: BrokerPacket, done: (error?: Error) => void): void;
}

/** A PUBLISH as aedes hands it to its subscribers. */
export interface BrokerPacket {
  readonly cmd: 'publish';
  readonly topic: string;
  readonly payload: Buffer | string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly dup: boolean;
}

type Callback = (error?: Error) => void;
type Deliver = (packet: BrokerPacket, done: () => void) => void;

/**
 * The backend's MQTT client when the broker is embedded: it subscribes and publishes through aedes'
 * programmatic API, so a board message reaches the handler as the broker parsed it and a reply goes
 * straight to the board's socket — no MQTT encoding, parsing or stream in between (ADR 0002). It
 * offers the part of mqtt.js' `MqttClient` the board transport and the stats publisher use: the
 * `connect`/`message`/`packetreceive`/`packetsend`/`close` events, `subscribe`, `publish`,
 * `publishAsync`, `end`, `connected` and `options.clientId`.
 */
export class InProcessMqttClient extends EventEmitter {
  connected = false;
  readonly options: { readonly clientId: string };
  private readonly subscriptions = new Map<string, Deliver>();
  private ended = false;

  constructor(
    private readonly broker: InProcessBroker,
    clientId: string,
  ) {
    super();
    this.options = { clientId };
    // Like a network client: 'connect' comes after the caller has attached its listeners.
    setImmediate(() => {
      if (this.ended) return;
      this.connected = true;
      this.emit('connect', { cmd: 'connack', returnCode: 0, sessionPresent: false });
    });
  }

  subscribe(topic: string, options?: IClientSubscribeOptions | Callback, callback?: Callback): this {
    const done = typeof options === 'function' ? options : callback;
    if (this.ended || this.subscriptions.has(topic)) {
      done?.(this.ended ? new Error('client ended') : undefined);
      return this;
    }
    const deliver: Deliver = (packet, release) => {
      release();
      if (this.ended) return;
      // Boards' packets come with a Buffer payload (the hot path: no copy); the broker's own
      // publications may carry a string, which the client's listeners never expect.
      const received = (typeof packet.payload === 'string'
        ? { ...packet, payload: Buffer.from(packet.payload) }
        : packet) as unknown as Packet & { payload: Buffer };
      this.emit('packetreceive', received);
      this.emit('message', packet.topic, received.payload, received);
    };
    this.subscriptions.set(topic, deliver);
    this.broker.subscribe(topic, deliver, (error) => done?.(error));
    return this;
  }

  publish(
    topic: string,
    message: string | Buffer,
    options?: IClientPublishOptions | Callback,
    callback?: Callback,
  ): this {
    const done = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'object' ? options : {};
    if (this.ended) {
      done?.(new Error('client ended'));
      return this;
    }
    const packet: BrokerPacket = {
      cmd: 'publish',
      topic,
      payload: typeof message === 'string' ? Buffer.from(message) : message,
      qos: opts.qos ?? 0,
      retain: opts.retain ?? false,
      dup: false,
    };
    this.emit('packetsend', packet);
    this.broker.publish(packet, (error) => done?.(error));
    return this;
  }

  publishAsync(topic: string, message: string | Buffer, options?: IClientPublishOptions): Promise<void> {
    return new Promise((resolve, reject) =>
      this.publish(topic, message, options ?? {}, (error) => (error ? reject(error) : resolve())),
    );
  }

  end(force?: boolean | Callback, options?: object | Callback, callback?: Callback): this {
    const done = [force, options, callback].find((arg): arg is Callback => typeof arg === 'function');
    if (!this.ended) {
      this.ended = true;
      for (const [topic, deliver] of this.subscriptions) this.broker.unsubscribe(topic, deliver);
      this.subscriptions.clear();
      const wasConnected = this.connected;
      this.connected = false;
      if (wasConnected) this.emit('close');
      this.emit('end');
    }
    done?.();
    return this;
  }
}
