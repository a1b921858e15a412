import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { writeToStream } from 'mqtt-packet';
import {
  type BrokerAccounts,
  type BrokerRole,
  authenticateClient,
  mayPublish,
  maySubscribe,
} from './broker-acl';
import { InProcessMqttClient, type InProcessBroker } from './in-process-client';

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly topicRoot: string;
  readonly accounts: BrokerAccounts;
  readonly onRefused?: (reason: string, clientId: string) => void;
}

/** Error code 4 of MQTT 3.1.1 CONNACK: bad user name or password. */
const BAD_USERNAME_OR_PASSWORD = 4;

/**
 * The MQTT broker started with the app when no external broker is configured (aedes over TCP). It
 * authenticates boards with their shared account and the backend with its own, and applies the ACL.
 */
export class EmbeddedBroker {
  private constructor(
    private readonly aedes: Aedes,
    private readonly server: Server,
  ) {}

  static async start(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    // mqtt-packet (aedes' encoder) would cache every two-byte number as its own Buffer once the
    // first board connects: 65,536 of them, ~7 MB of heap for good. A packet's numbers (its topic's
    // length) are made as it is written instead.
    writeToStream.cacheNumbers = false;
    const roles = new WeakMap<Client, BrokerRole>();
    const refuse = (reason: string, client: Client | null) => options.onRefused?.(reason, client?.id ?? '?');
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const role = authenticateClient(options.accounts, username, password);
        if (!role) {
          refuse('bad credentials', client);
          const error = Object.assign(new Error('bad user name or password'), {
            returnCode: BAD_USERNAME_OR_PASSWORD,
          });
          done(error, false);
          return;
        }
        roles.set(client, role);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const role = client ? roles.get(client) : 'backend';
        if (role && mayPublish(role, packet.topic, options.topicRoot)) return done(null);
        refuse(`publish on ${packet.topic}`, client);
        done(new Error('not authorized'));
      },
      authorizeSubscribe: (client, subscription, done) => {
        const role = roles.get(client);
        if (role && maySubscribe(role, subscription.topic, options.topicRoot))
          return done(null, subscription);
        refuse(`subscribe to ${subscription.topic}`, client);
        done(new Error('not authorized'));
      },
    });
    // Replies are small and latency-bound: no Nagle delay on the boards' sockets.
    const server = createServer({ noDelay: true }, aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new EmbeddedBroker(aedes, server);
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

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
