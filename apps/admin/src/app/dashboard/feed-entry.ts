import type { AccessEventMessage, SessionMessage } from '@fabomatic/contracts';

/** A line of the live feed: a card decision or remote command, or a session that started or ended. */
export type FeedEntry =
  | { readonly kind: 'access'; readonly key: string; readonly event: AccessEventMessage }
  | {
      readonly kind: 'session';
      readonly key: string;
      readonly started: boolean;
      readonly occurredAt: string;
      readonly session: SessionMessage;
    };

export const accessEntry = (event: AccessEventMessage): FeedEntry => ({
  kind: 'access',
  key: `access-${event.id}`,
  event,
});

/** A session's start or end as a feed line, at the time it happened. */
export function sessionEntry(session: SessionMessage, started: boolean): FeedEntry {
  return {
    kind: 'session',
    key: `session-${session.sessionId}-${started ? 'start' : 'stop'}`,
    started,
    occurredAt: started ? session.startedAt : (session.endedAt ?? session.startedAt),
    session,
  };
}

/** The feed with an entry added on top (one already there, by key, is replaced), at most `length` long. */
export function withEntry(
  feed: readonly FeedEntry[],
  entry: FeedEntry,
  length: number,
): readonly FeedEntry[] {
  return [entry, ...feed.filter((e) => e.key !== entry.key)].slice(0, length);
}
