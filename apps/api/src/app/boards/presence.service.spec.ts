import type { AppConfig } from '../../core/config/config.schema';
import type { UnitOfWork } from '../../core/database/unit-of-work';
import { EventBus } from '../../core/events/event-bus';
import { Clock } from '../../core/time/clock';
import { PresenceService } from './presence.service';

/** Presence shared between instances: what one instance sends, and what it takes from the others. */
/** A clock that stands still, so the test can name the exact times it expects. */
class StillClock extends Clock {
  constructor(private readonly at = Date.UTC(2026, 10, 27, 12)) {
    super();
  }
  override now(): Date {
    return new Date(this.at);
  }
}

describe('board presence shared between instances', () => {
  const config = { BOARD_OFFLINE_SECONDS: 90 } as AppConfig;
  // The digest methods never touch the database (last-seen times are written by the instance that heard the board).
  const noDatabase = {} as UnitOfWork;
  const instance = () => {
    const clock = new StillClock();
    const live = new EventBus();
    const events: unknown[] = [];
    live.subscribe('board-presence', (event) => events.push(event));
    return { clock, events, presence: new PresenceService(config, noDatabase, live, clock) };
  };

  it('sends what it heard since the last digest, once, and only when sharing', () => {
    const { clock, presence } = instance();
    presence.seen('7', 3);
    expect(presence.takeDigest()).toEqual([]);
    presence.shareWithOtherInstances();
    presence.seen('7', 3);
    presence.seen('012', null);
    expect(presence.takeDigest()).toEqual([
      ['7', 3, clock.now().getTime()],
      ['012', null, clock.now().getTime()],
    ]);
    expect(presence.takeDigest()).toEqual([]);
  });

  it("takes another instance's boards as online without announcing them again", () => {
    const a = instance();
    const b = instance();
    a.presence.shareWithOtherInstances();
    a.presence.seen('21', 1);
    expect(b.presence.mergeDigest(a.presence.takeDigest())).toBe(1);
    expect(b.presence.isOnline('21')).toBe(true);
    expect(b.presence.lastSeenAt('21')?.getTime()).toBe(a.clock.now().getTime());
    expect(b.events).toEqual([]);
  });

  it('ignores malformed and stale entries, and anything that is not a digest', () => {
    const { clock, presence } = instance();
    const now = clock.now().getTime();
    for (const garbage of [null, 'x', 42, { seen: [] }]) expect(presence.mergeDigest(garbage)).toBe(0);
    expect(
      presence.mergeDigest([
        ['1', 1, now],
        ['not a topic', 1, now],
        ['99999999', 1, now],
        ['2', 1, 'yesterday'],
        ['3', 1, Number.NaN],
        ['4', 1, now - 91_000],
        ['5', 1],
        'garbage',
      ]),
    ).toBe(1);
    expect(presence.onlineCount).toBe(1);
    expect(presence.isOnline('1')).toBe(true);
  });
});
