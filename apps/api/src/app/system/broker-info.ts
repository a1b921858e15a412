/** Which broker the boards use (for the system page). */
export abstract class BrokerInfo {
  abstract readonly embedded: boolean;
  /** Where boards connect, without credentials. */
  abstract readonly url: string;
}
