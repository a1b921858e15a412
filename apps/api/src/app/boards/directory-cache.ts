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
  private readonly grants = new LRUCache<string, Slot<Grant>>({
    max: 10_000,
    ttl: DIRECTORY_TTL_MS,
    // Keeps `grantKeys` to the entries still cached, however they go (expiry, eviction, deletion).
    dispose: (_value, key) => this.unindexGrant(key),
  });
  /** The cached grants' keys by member: a session start forgets one member's without a scan. */
  private readonly grantKeys = new Map<number, Set<string>>();

  constructor(events: EventBus) {
    for (const name of DIRECTORY_CHANGES) events.subscribe(name, () => this.invalidate());
  }

  machine(sql: SqlRunner, topicId: string): Promise<MachineProfile | null> {
    return this.through(this.machines, topicId, () => findMachineByTopic(sql, topicId));
  }

  cardHolder(sql: SqlRunner, cardUid: string): Promise<CardHolder | null> {
    return this.through(this.holders, cardUid, () => findCardHolder(sql, cardUid));
  }

  async grant(sql: SqlRunner, memberId: number, machineId: number): Promise<Grant | null> {
    const key = `${memberId}:${machineId}`;
    const hit = this.grants.get(key);
    if (hit) return hit.value;
    const value = await findGrant(sql, memberId, machineId);
    this.grants.set(key, { value });
    let keys = this.grantKeys.get(memberId);
    if (!keys) this.grantKeys.set(memberId, (keys = new Set()));
    keys.add(key);
    return value;
  }

  /**
   * Forget a member's grants: a session start renewed their authorizations' last use (usage decay).
   * Only this member's entries go, so the board path keeps its cache.
   */
  forgetGrants(memberId: number): void {
    const keys = this.grantKeys.get(memberId);
    if (!keys) return;
    this.grantKeys.delete(memberId);
    for (const key of keys) this.grants.delete(key);
  }

  /** Forget everything: after any change to members, roles, machines, boards or authorizations. */
  invalidate(): void {
    this.machines.clear();
    this.holders.clear();
    this.grants.clear();
    this.grantKeys.clear();
  }

  private unindexGrant(key: string): void {
    const memberId = Number(key.slice(0, key.indexOf(':')));
    const keys = this.grantKeys.get(memberId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.grantKeys.delete(memberId);
  }

  private async through<T>(cache: LRUCache<string, Slot<T>>, key: string, load: () => Promise<T | null>) {
    const hit = cache.get(key);
    if (hit) return hit.value;
    const value = await load();
    cache.set(key, { value });
    return value;
  }
}
