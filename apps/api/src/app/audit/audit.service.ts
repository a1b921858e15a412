import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../core/time/clock';
import type { SessionUser } from '../auth/session-user';
import { AuditEntry } from './audit-entry.entity';

/** Who made a change: a signed-in person, or an operator command / the system itself. */
export type AuditActor = Pick<SessionUser, 'id' | 'email'> | 'cli' | 'system';

/** Keys never written to the audit log, whatever entity they come from. */
const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenHash']);

function snapshot(value: object | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key) || typeof field === 'function') continue;
    out[key] = field instanceof Date ? field.toISOString() : field;
  }
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
}
