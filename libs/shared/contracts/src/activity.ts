import type { AccessAction, AccessReason, SessionEndReason } from './domain';
import type { AccessEventMessage } from './live-events';
import type { PageQuery } from './paging';

/** A usage session as listed in the usage history. Times are ISO strings. */
export interface UsageSessionDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineId: number;
  readonly machineName: string;
  readonly startedAt: string;
  /** Last heartbeat from the board. */
  readonly lastSeenAt: string;
  /** Null while the session is open. */
  readonly endedAt: string | null;
  readonly endReason: SessionEndReason | null;
  /** Whole seconds from start to end; null while open. */
  readonly durationSeconds: number | null;
  readonly open: boolean;
  readonly replay: boolean;
  /** A supervised first use (issue 15): the trainer who started the machine for the member. */
  readonly trainerId: number | null;
  readonly trainerName: string | null;
}

/**
 * Filters of the usage history: a session matches the date range when it overlaps `[from, to]`
 * (an open session runs until now).
 */
export interface UsageSessionQuery extends PageQuery {
  readonly memberId?: number;
  readonly machineId?: number;
  readonly from?: string;
  readonly to?: string;
  readonly open?: boolean;
  readonly replay?: boolean;
}

/** A session entered by staff (end reason `manual`). */
export interface UsageSessionInput {
  readonly memberId: number;
  readonly machineId: number;
  readonly startedAt: string;
  readonly endedAt: string;
}

/** Corrects a session's times; an end on an open session closes it (end reason `manual`). */
export interface UsageSessionUpdate {
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** What deleting a session took with it: its hours, off the machine's hour meter. */
export interface UsageSessionDeleted {
  readonly id: number;
  readonly machineId: number;
  readonly meterSecondsRemoved: number;
}

/** A card decision or board-side command, with machine and member names. */
export interface AccessEventDto extends AccessEventMessage {
  /** Portal user who issued a remote start/stop. */
  readonly actorMemberId: number | null;
  readonly actorName: string | null;
}

export interface AccessEventQuery extends PageQuery {
  readonly machineId?: number;
  readonly memberId?: number;
  readonly cardUid?: string;
  readonly reason?: AccessReason;
  readonly granted?: boolean;
  readonly action?: AccessAction;
  readonly from?: string;
  readonly to?: string;
}

/**
 * Every report takes `from` (inclusive) and `to` (exclusive), ISO instants, default the last 365
 * days, and a `tz` IANA time zone (default UTC) in which weeks, weekdays and hours are counted.
 * Sessions count where they start; hours count closed sessions only.
 */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
}

/** A machine in a usage-by-week report: the column its numbers take in every week. */
export interface ReportMachine {
  readonly machineId: number;
  readonly machineName: string;
}

export interface WeekUsage {
  /** ISO week, e.g. `2026-W05`. */
  readonly week: string;
  /** Its Monday, a local date `YYYY-MM-DD`. */
  readonly weekStart: string;
  readonly sessions: number;
  readonly seconds: number;
  readonly hours: number;
  /** Sessions per machine, in the order of the report's `machines` (0 when unused that week). */
  readonly machineSessions: readonly number[];
  /** Seconds of use per machine, in the order of the report's `machines`. */
  readonly machineSeconds: readonly number[];
}

/**
 * Every week of the range, oldest first, empty ones included. The per-machine figures are columns
 * (ten years of a 200-machine lab are 104,000 cells: a few hundred kB this way, not 10 MB).
 */
export interface UsageByWeekReport extends ReportRange {
  /** The machines with sessions in the range, in name order. */
  readonly machines: readonly ReportMachine[];
  readonly weeks: readonly WeekUsage[];
}

export interface MemberUsage {
  readonly memberId: number;
  readonly memberName: string;
  readonly sessions: number;
  readonly seconds: number;
  readonly hours: number;
}

/** The members with most hours, most first. */
export interface SessionsByMemberReport extends ReportRange {
  readonly members: readonly MemberUsage[];
  /** Members with sessions in the range (the list shows the top `limit`). */
  readonly memberCount: number;
}

/** Sessions started per weekday and hour: `sessions[0]` is Monday, `sessions[d][h]` hour h. */
export interface BusiestHoursReport extends ReportRange {
  readonly sessions: readonly (readonly number[])[];
  readonly total: number;
}

export interface PlanMaintenanceStatus {
  readonly planId: number;
  readonly description: string;
  readonly hoursBetween: number;
  /** Hours of use since the last intervention (the open session counted up to now). */
  readonly hoursSince: number;
  readonly hoursRemaining: number;
  readonly due: boolean;
  readonly lastInterventionAt: string | null;
}

export interface MachineMaintenanceStatus {
  readonly machineId: number;
  readonly machineName: string;
  /** The machine's hour meter. */
  readonly usageHours: number;
  readonly plans: readonly PlanMaintenanceStatus[];
}

export interface MaintenanceReport {
  readonly generatedAt: string;
  readonly machines: readonly MachineMaintenanceStatus[];
}
