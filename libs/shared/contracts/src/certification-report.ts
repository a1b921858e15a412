import type { ExpiryCause } from './training';

/** An active authorization that expires soon (`GET /api/reports/certifications`). */
export interface ExpiringAuthorizationDto {
  readonly id: number;
  readonly memberId: number;
  readonly memberName: string;
  readonly machineId: number;
  readonly machineName: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  /** The instant it stops granting (ISO). */
  readonly expiresAt: string;
  /** Its last valid day, lab-local (`2027-04-03`). */
  readonly lastDay: string;
  readonly cause: ExpiryCause;
  /** Whole lab days left after today (0: today is the last valid day). */
  readonly daysLeft: number;
}

/** Per machine type: how many authorizations expire within 30 and within 90 days. */
export interface ExpiringCountDto {
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  readonly within30: number;
  readonly within90: number;
}

/** Trainings held in a lab-local month (`2027-03`) for a machine type. */
export interface TrainingMonthDto {
  readonly month: string;
  readonly machineTypeId: number;
  readonly machineTypeName: string;
  /** Sessions whose outcomes were recorded that month. */
  readonly sessions: number;
  /** Trainees qualified in them. */
  readonly qualified: number;
}

export interface CertificationReportDto {
  readonly timeZone: string;
  /** The trainings' span, lab-local dates, both included. */
  readonly from: string;
  readonly to: string;
  readonly within30: number;
  readonly within90: number;
  readonly counts: readonly ExpiringCountDto[];
  /** Every authorization expiring within 90 days, soonest first. */
  readonly expiring: readonly ExpiringAuthorizationDto[];
  readonly trainings: readonly TrainingMonthDto[];
}

/** `POST /api/authorizations/renew`: renews all of them or none. */
export interface RenewAuthorizationsInput {
  readonly ids: readonly number[];
}

export interface RenewAuthorizationsResult {
  readonly renewed: number;
}
