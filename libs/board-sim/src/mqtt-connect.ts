import type { Socket } from 'node:net';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

/** How a simulated client reaches the broker. */
export interface MqttConnection {
  /** e.g. `mqtt://127.0.0.1:1883` */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly clientId?: string;
  /** Give up the first connection after this long (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

/** QoS code of a refused subscription in a SUBACK (MQTT 3.1.1). */
const SUBACK_FAILURE = 128;

/**
 * Opens an MQTT 3.1.1 client like the firmware's (keep-alive 10 s, clean session, no will) and
 * resolves once the broker accepted it; rejects on refusal, error or timeout (the client is closed).
 */
export function openMqttClient(connection: MqttConnection, clientId: string): Promise<MqttClient> {
  const timeoutMs = connection.connectTimeoutMs ?? 5000;
  const options: IClientOptions = {
    protocolVersion: 4,
    clientId: connection.clientId ?? clientId,
    keepalive: 10,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: timeoutMs,
    ...(connection.username === undefined ? {} : { username: connection.username }),
    ...(connection.password === undefined ? {} : { password: connection.password }),
  };
  return new Promise<MqttClient>((resolve, reject) => {
    const client = connect(connection.url, options);
    // Measure the backend, not Nagle's algorithm: send each small packet at once.
    client.on('connect', () => (client.stream as Partial<Socket>).setNoDelay?.(true));
    const fail = (error: Error): void => {
      cleanup();
      client.end(true);
      reject(error);
    };
    const onConnect = (): void => {
      cleanup();
      resolve(client);
    };
    const onError = (error: Error): void => fail(error);
    const timer = setTimeout(
      () => fail(new Error(`MQTT connection to ${connection.url} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
    };
    client.on('connect', onConnect);
    client.on('error', onError);
  });
}

/** Subscribes at QoS 0 and fails when the broker refuses any of the filters (ACL). */
export async function subscribeAll(client: MqttClient, filters: readonly string[]): Promise<void> {
  const grants = await client.subscribeAsync([...filters], { qos: 0 });
  const refused = grants.filter((grant) => grant.qos === SUBACK_FAILURE).map((grant) => grant.topic);
  if (refused.length > 0) throw new Error(`subscription refused by the broker: ${refused.join(', ')}`);
}
