import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { ChangeEventMap } from '../../core/events/domain-events';
import { EventBus } from '../../core/events/event-bus';
import type { SqlRunner } from '../../core/database/sql';
import {
  type CardHolder,
  type Grant,
  type MachineProfile,
  findCardHolder,
  findGrant,
  findMachineByTopic,
} from './board-directory';

/**
 * How long a looked-up machine, card or authorization is reused. A change made through this
 * instance is seen at once (its change event); one made elsewhere (another instance, the database by
 * hand) within this time.
 */
export const DIRECTORY_TTL_MS = 2000;

type Slot<T> = { readonly value: T | null };

/** The changes after which a looked-up machine, card holder or grant may be wrong. */
const DIRECTORY_CHANGES: readonly (keyof ChangeEventMap)[] = [
  'member-changed',
  'role-changed',
  'machine-changed',
  'machine-type-changed',
  'board-changed',
  'authorization-changed',
];

/**
 * The board hot path's look-ups, each kept for a moment: a board taps, then starts, heartbeats
 * and checks its machine, and 200 boards ask about the same few hundred rows again and again.
 */
@Injectable()
export class DirectoryCache {
  private readonly machines = new LRUCache<string, Slot<MachineProfile>>({
    max: 2_000,
    ttl: DIRECTORY_TTL_MS,
  });
  private readonly holders = new LRUCache<string, Slot<CardHolder>>({ max: 5_000, ttl: DIRECTORY_TTL_MS });
  private readonly grants = new LRUCache<string, Slot<Grant>>({ max: 10_000, ttl: DIRECTORY_TTL_MS });

  constructor(events: EventBus) {
    for (const name of DIRECTORY_CHANGES) events.subscribe(name, () => this.invalidate());
  }

  machine(sql: SqlRunner, topicId: string): Promise<MachineProfile | null> {
    return this.through(this.machines, topicId, () => findMachineByTopic(sql, topicId));
  }

  cardHolder(sql: SqlRunner, cardUid: string): Promise<CardHolder | null> {
    return this.through(this.holders, cardUid, () => findCardHolder(sql, cardUid));
  }

  grant(sql: SqlRunner, memberId: number, machineId: number): Promise<Grant | null> {
    return this.through(this.grants, `${memberId}:${machineId}`, () => findGrant(sql, memberId, machineId));
  }

  /**
   * Forget a member's grants: a session start renewed their authorizations' last use (usage decay).
   * Only this member's entries go, so the board path keeps its cache.
   */
  forgetGrants(memberId: number): void {
    const prefix = `${memberId}:`;
    for (const key of [...this.grants.keys()]) if (key.startsWith(prefix)) this.grants.delete(key);
  }

  /** Forget everything: after any change to members, roles, machines, boards or authorizations. */
  invalidate(): void {
    this.machines.clear();
    this.holders.clear();
    this.grants.clear();
  }

  private async through<T>(cache: LRUCache<string, Slot<T>>, key: string, load: () => Promise<T | null>) {
    const hit = cache.get(key);
    if (hit) return hit.value;
    const value = await load();
    cache.set(key, { value });
    return value;
  }
}
