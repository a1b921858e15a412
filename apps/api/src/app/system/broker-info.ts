/** Which broker the boards use (for the system page and a machine's connection help). */
export abstract class BrokerInfo {
  abstract readonly embedded: boolean;
  /** Where boards connect, without credentials. */
  abstract readonly url: string;
  /** The broker's host as configured (may be a wildcard such as 0.0.0.0, or loopback). */
  abstract readonly host: string;
  /** The port boards connect to (the embedded broker's bound port). */
  abstract readonly port: number;
  /** Whether boards connect over TLS (`mqtts:`). */
  abstract readonly tls: boolean;
}
