import type { SessionMessage } from '@fabomatic/contracts';
import type { Session } from './session-ledger';

const iso = (millis: number) => new Date(millis).toISOString();

export function toSessionMessage(s: Session): SessionMessage {
  return {
    sessionId: s.id,
    machineId: s.machineId,
    memberId: s.memberId,
    startedAt: iso(s.startedAt),
    endedAt: s.endedAt === null ? null : iso(s.endedAt),
    endReason: s.endReason,
  };
}
