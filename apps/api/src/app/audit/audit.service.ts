import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../core/time/clock';
import type { SessionUser } from '../auth/session-user';
import { AuditEntry } from './audit-entry.entity';

/** Who made a change: a signed-in person, or an operator command / the system itself. */
export type AuditActor = Pick<SessionUser, 'id' | 'email'> | 'cli' | 'system';

/** Keys never written to the audit log, whatever entity they come from. */
const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenHash']);
/** Keys derived from others (a machine's sort key follows its name): noise in a change's diff. */
const DERIVED_KEYS = new Set(['nameSortKey']);

function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) || DERIVED_KEYS.has(key) || typeof field === 'function') continue;
    out[key] = field instanceof Date ? field.toISOString() : field;
  }
  return out;
}

/** A member's personal data as their snapshots hold it: what a GDPR erase takes out of the log too. */
const PERSONAL_KEYS = ['name', 'surname', 'email', 'cardUid'] as const;
/** What an erased value reads as in the log. */
export const ERASED_VALUE = '[erased]';

/** A snapshot with every value equal to one of `cards` erased (top level: snapshots are flat). */
function withoutCards(
  snapshot: Record<string, unknown> | null,
  cards: ReadonlySet<string>,
): Record<string, unknown> | null {
  if (!snapshot) return snapshot;
  const out = { ...snapshot };
  for (const [key, value] of Object.entries(out))
    if (typeof value === 'string' && cards.has(value.toLowerCase())) out[key] = ERASED_VALUE;
  return out;
}

function redact(snapshot: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!snapshot) return snapshot;
  const out = { ...snapshot };
  for (const key of PERSONAL_KEYS) if (out[key] !== undefined && out[key] !== null) out[key] = ERASED_VALUE;
  return out;
}

/**
 * Append-only record of every change made through the API: written in the same transaction as the
 * change, so there is no change without its entry and no entry without its change.
 */
@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  async record(
    em: EntityManager,
    actor: AuditActor,
    action: string,
    entityType: string,
    entityId: string | number | null,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await em.save(AuditEntry, {
      occurredAt: this.clock.now(),
      actorMemberId: typeof actor === 'object' ? actor.id : null,
      actorLabel: typeof actor === 'object' ? actor.email : actor,
      action,
      entityType,
      entityId: entityId === null ? null : String(entityId),
      before: snapshot(before),
      after: snapshot(after),
    });
  }

  /**
   * GDPR erase: the log keeps what was done to and by the member, not who they were. Their name,
   * surname, email and card leave the snapshots of their own entries, and the entries they made as
   * a portal user show `erased member #<id>` instead of their email. The only rewrite of the log.
   */
  async forgetMember(em: EntityManager, memberId: number): Promise<void> {
    const entries = await em.find(AuditEntry, {
      where: { entityType: 'member', entityId: String(memberId) },
    });
    // The cards the member ever had, as their own entries recorded them.
    const cards = new Set<string>();
    for (const entry of entries) {
      for (const side of [entry.before, entry.after]) {
        const card = side?.['cardUid'];
        if (typeof card === 'string' && card) cards.add(card.toLowerCase());
      }
      entry.before = redact(entry.before);
      entry.after = redact(entry.after);
    }
    await em.save(entries);
    // Entries of other types the member made carry their card too (a remote start names it).
    if (cards.size > 0) {
      const acted = await em.find(AuditEntry, { where: { actorMemberId: memberId } });
      for (const entry of acted) {
        entry.before = withoutCards(entry.before, cards);
        entry.after = withoutCards(entry.after, cards);
      }
      await em.save(acted);
    }
    await em.update(AuditEntry, { actorMemberId: memberId }, { actorLabel: `erased member #${memberId}` });
  }
}
