import type { AccessAction, AccessReason, SessionEndReason } from './domain';
import type { MachineStatusDto } from './machines';
import type { ProblemMessage } from './problems';

/** Pushed to dashboards when a card decision or a remote command happens. */
export interface AccessEventMessage {
  readonly id: number;
  readonly occurredAt: string;
  readonly topicId: string;
  readonly machineId: number | null;
  readonly machineName: string | null;
  readonly cardUid: string | null;
  readonly memberId: number | null;
  readonly memberName: string | null;
  readonly action: AccessAction;
  readonly reason: AccessReason;
  readonly granted: boolean;
  readonly level: number | null;
  readonly replay: boolean;
  /** Taps the event stands for: an unknown card tapped again on its machine within 10 s adds one. */
  readonly count: number;
}

export interface SessionMessage {
  readonly sessionId: number;
  readonly machineId: number;
  readonly memberId: number;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly endReason: SessionEndReason | null;
}

export interface BoardSeenMessage {
  readonly topicId: string;
  readonly machineId: number | null;
  readonly serial: string | null;
  readonly ipAddress: string | null;
  readonly firmwareVersion: string | null;
  readonly freeHeap: number | null;
  readonly lastSeenAt: string;
}

export interface BoardPresenceMessage {
  readonly topicId: string;
  readonly machineId: number | null;
  readonly online: boolean;
}

/** Every live event, by name: the WebSocket gateway and the SPA compile against this map. */
export interface LiveEventMap {
  'access-event': AccessEventMessage;
  'session-started': SessionMessage;
  'session-stopped': SessionMessage;
  'board-seen': BoardSeenMessage;
  'board-presence': BoardPresenceMessage;
  'maintenance-recorded': { readonly machineId: number; readonly planIds: readonly number[] };
  /** What a dashboard card shows changed (status, session, maintenance due, board online). */
  'machine-status': MachineStatusDto;
  /** A problem report was filed, or changed state (resolved, cancelled, hard lock switched). */
  'problem-reported': ProblemMessage;
  'problem-changed': ProblemMessage;
}

export type LiveEventName = keyof LiveEventMap;

/**
 * The names of LiveEventMap at run time, the one list the gateway, the scale-out relay and the
 * event bus read (a record, so a name added to the map and not here is a compile error).
 */
const LIVE_EVENTS: { readonly [K in LiveEventName]: true } = {
  'access-event': true,
  'session-started': true,
  'session-stopped': true,
  'board-seen': true,
  'board-presence': true,
  'maintenance-recorded': true,
  'machine-status': true,
  'problem-reported': true,
  'problem-changed': true,
};

export const LIVE_EVENT_NAMES = Object.keys(LIVE_EVENTS) as readonly LiveEventName[];

export function isLiveEventName(name: string): name is LiveEventName {
  return Object.hasOwn(LIVE_EVENTS, name);
}
