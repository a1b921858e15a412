/**
 * Which connection speaks for each board topic, when the boards share one broker account (issue 11:
 * a holder of that account, a board's flash read out, could otherwise query on any machine's topic
 * and have the real board take the answer for its own).
 *
 * The first connection to publish on `<root>/<id>` owns that topic while it stays connected; a
 * publish there from any other connection is refused. Ownership passes only once the owner has
 * disconnected: a board that lost power keeps its topic until the broker sees its connection die
 * (its keepalive), then the next connection takes it.
 */
export class TopicPins<Connection extends object> {
  private readonly owners = new Map<string, Connection>();
  private readonly owned = new WeakMap<Connection, Set<string>>();

  /** Whether `connection` may publish on `topicId`: true for its owner, or a topic no one holds. */
  claim(topicId: string, connection: Connection): boolean {
    const owner = this.owners.get(topicId);
    if (owner === connection) return true;
    if (owner !== undefined) return false;
    this.owners.set(topicId, connection);
    const topics = this.owned.get(connection) ?? new Set<string>();
    topics.add(topicId);
    this.owned.set(connection, topics);
    return true;
  }

  /** The topics a connection held, freed when it disconnects. */
  release(connection: Connection): string[] {
    const topics = this.owned.get(connection);
    if (!topics) return [];
    this.owned.delete(connection);
    for (const topicId of topics) if (this.owners.get(topicId) === connection) this.owners.delete(topicId);
    return [...topics];
  }

  /** The connection holding `topicId`, if any. */
  owner(topicId: string): Connection | undefined {
    return this.owners.get(topicId);
  }

  /** Whether a connection holds any topic (a board's connection, not a stranger's). */
  holds(connection: Connection): boolean {
    return (this.owned.get(connection)?.size ?? 0) > 0;
  }

  get size(): number {
    return this.owners.size;
  }
}
