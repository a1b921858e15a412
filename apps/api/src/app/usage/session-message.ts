import type { SessionMessage } from '@fabomatic/contracts';
import type { UsageSession } from './usage-session.entity';

export function toSessionMessage(s: UsageSession): SessionMessage {
  return {
    sessionId: s.id,
    machineId: s.machineId,
    memberId: s.memberId,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt?.toISOString() ?? null,
    endReason: s.endReason,
  };
}
