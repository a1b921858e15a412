/**
 * Problem reports (issue 14): a member authorized on a machine, or staff, reports a problem on it.
 * An open `out-of-order` report puts the machine out of order at the board: `checkmachine` answers
 * `maintenance: true` with the description `OUT OF ORDER` (members refused, staff pass in), or, with
 * `hardLock`, `allowed: false` (everyone refused). History is kept; nothing is deleted.
 */
export const PROBLEM_SEVERITIES = ['note', 'out-of-order'] as const;
export type ProblemSeverity = (typeof PROBLEM_SEVERITIES)[number];

/** open → resolved (staff, with a resolution text) or cancelled (the reporter, while open). */
export const PROBLEM_STATES = ['open', 'resolved', 'cancelled'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

/** What `checkmachine` says while an out-of-order report is open (≤ 16 ASCII characters). */
export const OUT_OF_ORDER_DESCRIPTION = 'OUT OF ORDER';

/** A photo's limits: checked by content (magic bytes), metadata stripped before it is stored. */
export const PROBLEM_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PROBLEM_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PROBLEM_DESCRIPTION_MAX = 2000;
export const PROBLEM_RESOLUTION_MAX = 2000;

export interface ProblemPersonDto {
  readonly id: number;
  readonly name: string;
}

export interface ProblemReportDto {
  readonly id: number;
  readonly machineId: number;
  readonly machineName: string;
  readonly severity: ProblemSeverity;
  /** Refuses everyone at the board (`allowed: false`), staff included; only for out-of-order. */
  readonly hardLock: boolean;
  readonly description: string;
  readonly state: ProblemState;
  /** `GET /api/problems/:id/photo` serves it (to staff and the reporter only). */
  readonly hasPhoto: boolean;
  /** The reporter: shown to staff and to the reporter themself, null for anyone else. */
  readonly reporter: ProblemPersonDto | null;
  /** Whether the signed-in user is the reporter (a member sees only their own reports). */
  readonly mine: boolean;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
  readonly resolvedBy: ProblemPersonDto | null;
  readonly resolution: string | null;
  readonly cancelledAt: string | null;
}

/**
 * `POST /api/problems`, multipart/form-data: these fields plus an optional file field `photo`.
 * `hardLock` is for staff (manager and up) only.
 */
export interface ProblemReportInput {
  readonly machineId: number;
  readonly severity: ProblemSeverity;
  readonly description: string;
  readonly hardLock?: boolean;
}

/** `POST /api/problems/:id/resolve` (manager and up). */
export interface ResolveProblemRequest {
  readonly resolution: string;
}

/** `PATCH /api/problems/:id` (manager and up): switch the hard lock of an open out-of-order report. */
export interface UpdateProblemRequest {
  readonly hardLock: boolean;
}

/** `GET /api/problems?state=&machineId=&severity=&page=&pageSize=`: staff list (read-only and up). */
export interface ProblemListQuery {
  readonly state?: ProblemState;
  readonly machineId?: number;
  readonly severity?: ProblemSeverity;
  readonly page?: number;
  readonly pageSize?: number;
}

/** `GET /api/me/reportable-machines`: where the signed-in user may report, and how. */
export interface ReportableMachineDto {
  readonly machineId: number;
  readonly name: string;
  readonly typeName: string | null;
  /** False when the machine type keeps out-of-order to staff (`membersMayDeclareOutOfOrder`). */
  readonly mayDeclareOutOfOrder: boolean;
  /** The machine's open out-of-order report, if any (so a member does not report it twice). */
  readonly outOfOrder: boolean;
}

/** Per machine over a range: `GET /api/reports/downtime?from=&to=` (read-only and up). */
export interface MachineDowntimeDto {
  readonly machineId: number;
  readonly machineName: string;
  /** Out-of-order intervals overlapping the range. */
  readonly outages: number;
  /** Milliseconds out of order inside the range (an outage still open counts up to `to` or now). */
  readonly downtimeMs: number;
  /** Median of the resolved outages' durations (ms), null when none was resolved. */
  readonly medianRepairMs: number | null;
}

export interface DowntimeReportDto {
  readonly from: string;
  readonly to: string;
  readonly machines: readonly MachineDowntimeDto[];
  /** Median time to repair over every machine's resolved outages in the range, null when none. */
  readonly medianRepairMs: number | null;
}

/** Live event `problem-reported` / `problem-changed`: the dashboard alert (staff sockets only). */
export interface ProblemMessage {
  readonly report: ProblemReportDto;
}

/** What a dashboard card shows of an open out-of-order report. */
export interface MachineOutOfOrderDto {
  readonly reportId: number;
  readonly description: string;
  readonly hardLock: boolean;
  readonly since: string;
}

/** `GET`/`PATCH /api/me/notifications`: the signed-in member's email settings. */
export interface MemberNotificationsDto {
  /**
   * Emails when a machine they used in the last 14 days goes out of order and when it is back
   * (default true).
   */
  readonly machineStatus: boolean;
}

/** How far back a member's use of a machine makes them hear of its outages. */
export const MACHINE_STATUS_RECENT_USE_DAYS = 14;
