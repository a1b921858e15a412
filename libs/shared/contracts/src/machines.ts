import type { AccessManagement, InterventionSource, MachineStatus } from './domain';
import type { MachineOutOfOrderDto } from './problems';
import type { ApiErrorBody } from './errors';

/** A 409 refusing a delete that would take other rows with it: repeat with `?confirm=true`. */
export interface ConfirmationRequiredBody extends ApiErrorBody {
  /** MACHINE_IN_USE when someone is using the machine (`inUseBy`). */
  readonly code: 'DELETE_CONFIRMATION_REQUIRED' | 'MACHINE_IN_USE';
  /** What the delete would take with it (or detach), by kind. */
  readonly counts: Readonly<Record<string, number>>;
  /** A machine delete: who is using the machine now (their session would go with it), else absent. */
  readonly inUseBy?: string;
}

export interface MachineTypeDto {
  readonly id: number;
  readonly name: string;
  /** Auto-logoff delay sent to boards, minutes; 0 disables it. */
  readonly autoLogoffMinutes: number;
  /** Minutes the relay stays on after logout. */
  readonly graceMinutes: number;
  readonly accessManagement: AccessManagement;
  /** Whether members may declare a machine of this type out of order (else staff only). Default true. */
  readonly membersMayDeclareOutOfOrder: boolean;
  readonly machineCount: number;
  /** Certification policy (issue 15): days valid from the grant; null: no limit. */
  readonly validityDays: number | null;
  /** Days without a session on a machine of the type after which authorizations expire; null: none. */
  readonly decayDays: number | null;
  /** Days before expiry when members are reminded, largest first (at most 5). */
  readonly reminderDays: readonly number[];
}

/** At most this many reminder steps per machine type. */
export const MAX_REMINDER_STEPS = 5;

export interface MachineTypeInput {
  readonly name: string;
  readonly autoLogoffMinutes: number;
  readonly graceMinutes: number;
  readonly accessManagement: AccessManagement;
  readonly validityDays?: number | null;
  readonly decayDays?: number | null;
  readonly reminderDays?: readonly number[];
  /** Whether members may declare machines of this type out of order; default true. */
  readonly membersMayDeclareOutOfOrder?: boolean;
}

/** Deleting a type leaves its machines typeless. */
export interface MachineTypeDeleteResult {
  readonly machines: number;
}

export interface MachineDto {
  readonly id: number;
  /** The board's topic id, as typed in its setup portal (`012` ≠ `12`). */
  readonly topicId: string;
  readonly name: string;
  readonly typeId: number | null;
  readonly typeName: string | null;
  readonly blocked: boolean;
  /** The editable hour meter. */
  readonly usageHours: number;
  /** ISO time of the board's last message known to the database. */
  readonly lastSeenAt: string | null;
  /** ISO time the machine was retired (refused at the board, hidden from lists); null while in service. */
  readonly retiredAt: string | null;
  /** The board bound to the machine (online or not); null when it has none. */
  readonly board: MachineBoardDto | null;
}

/** The board a machine has, as a picker marks it. */
export interface MachineBoardDto {
  readonly id: number;
  readonly serial: string | null;
}

/** What retiring a machine did: the session open on it, closed with its hours counted. */
export interface MachineRetireResult {
  readonly machine: MachineDto;
  /** The member whose session was closed by the retirement, null when the machine was free. */
  readonly sessionClosedFor: string | null;
}

export interface MachineInput {
  readonly topicId: string;
  readonly name: string;
  readonly typeId?: number | null;
  readonly blocked?: boolean;
  readonly usageHours?: number;
}

/** What deleting a machine took with it. */
export interface MachineDeleteResult {
  readonly sessions: number;
  readonly authorizations: number;
  readonly plans: number;
  readonly interventions: number;
}

export interface PlanStatusDto {
  readonly planId: number;
  readonly description: string;
  readonly hoursSince: number;
  readonly hoursBetween: number;
  readonly due: boolean;
}

/**
 * A board serial as printed on the board, in MAC form (`aabbccddee12` → `AA:BB:CC:DD:EE:12`);
 * anything that is not 12 hex digits is shown as it is.
 */
export function printedSerial(serial: string): string {
  return /^[0-9a-f]{12}$/i.test(serial) ? (serial.toUpperCase().match(/../g) ?? []).join(':') : serial;
}

/** What is known of the board of a machine (or of a fleet board). */
export interface BoardHealthDto {
  readonly serial: string | null;
  readonly ip: string | null;
  readonly firmware: string | null;
  readonly freeHeap: number | null;
  readonly lastSeenAt: string | null;
  readonly online: boolean;
}

/** One machine on the dashboard. */
export interface MachineStatusDto {
  readonly machineId: number;
  readonly topicId: string;
  readonly name: string;
  readonly typeName: string | null;
  /** By priority: in-use > blocked > maintenance > offline > free. */
  readonly status: MachineStatus;
  readonly blocked: boolean;
  /** When the machine was retired (its board refuses every card), else null. */
  readonly retiredAt: string | null;
  /** The open session, when in use. */
  readonly session: {
    readonly memberId: number;
    readonly memberName: string;
    readonly startedAt: string;
  } | null;
  readonly maintenance: readonly PlanStatusDto[];
  readonly board: BoardHealthDto;
  /** The machine's open out-of-order problem report (the oldest), else null. */
  readonly outOfOrder: MachineOutOfOrderDto | null;
}

export type RemoteCommand = 'start' | 'stop';

export interface RemoteCommandResult {
  readonly machineId: number;
  readonly command: RemoteCommand;
  /** The card UID sent to the board (`00000000` for a stop by a user without a card). */
  readonly uid: string;
  readonly accessEventId: number;
}

export interface FleetBoardDto extends BoardHealthDto {
  readonly id: number;
  readonly topicId: string;
  /** The machine with the board's topic id; null when unassigned. */
  readonly machine: { readonly id: number; readonly name: string } | null;
}

/** A board topic's own broker account (issue 11); the password is never shown again. */
export interface BoardAccountDto {
  readonly topicId: string;
  /** The broker user name: the topic id itself (Mosquitto `pattern` ACLs need it so). */
  readonly username: string;
  /** ISO time the current password was issued (by issue or rotate). */
  readonly issuedAt: string;
}

/** The answer to issuing or rotating an account: the only time the password is shown. */
export interface IssuedBoardAccountDto extends BoardAccountDto {
  readonly password: string;
}

export interface BoardBindInput {
  readonly machineId: number;
  /**
   * The machine has another board: disconnect it (the answer without this is a 409
   * `MACHINE_HAS_BOARD` naming that board).
   */
  readonly replace?: boolean;
}

/** The 409 `MACHINE_HAS_BOARD`: the board a bind would disconnect from the machine. */
export interface BoardBindConflictBody extends ApiErrorBody {
  readonly machine: { readonly id: number; readonly name: string };
  readonly board: FleetBoardDto;
}

export interface MaintenancePlanDto {
  readonly id: number;
  readonly machineId: number;
  readonly machineName: string;
  readonly hoursBetween: number;
  readonly description: string;
  readonly lcdMessage: string;
  readonly instructionsUrl: string | null;
  /** ISO time of the plan's last intervention, null when there was none. */
  readonly lastInterventionAt: string | null;
  /** Hours of use since the last intervention (the open session counted up to now). */
  readonly hoursSince: number;
  readonly due: boolean;
}

export interface MaintenancePlanInput {
  readonly machineId: number;
  readonly hoursBetween: number;
  readonly description: string;
  readonly lcdMessage?: string;
  readonly instructionsUrl?: string | null;
}

/** Deleting a plan keeps its interventions, detached from it. */
export interface MaintenancePlanDeleteResult {
  readonly detachedInterventions: number;
}

export interface InterventionDto {
  readonly id: number;
  readonly planId: number | null;
  readonly planDescription: string | null;
  readonly machineId: number;
  readonly machineName: string;
  readonly memberId: number | null;
  readonly memberName: string | null;
  readonly performedAt: string;
  readonly replay: boolean;
  readonly source: InterventionSource;
}

export interface InterventionInput {
  readonly machineId: number;
  readonly planId?: number | null;
  readonly memberId?: number | null;
  /** ISO time; now when omitted. */
  readonly performedAt?: string;
}
