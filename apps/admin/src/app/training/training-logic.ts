import type {
  TrainingOutcome,
  TrainingOutcomesInput,
  TrainingRequestDto,
  TrainingSessionDto,
} from '@fabomatic/contracts';

export type Result = Exclude<TrainingOutcome, 'pending'>;
export const RESULTS: readonly Result[] = ['qualified', 'not-qualified', 'absent'];

/** Requests a new session can take: the open ones (planned ones are in a session already). */
export function plannable(queue: readonly TrainingRequestDto[]): TrainingRequestDto[] {
  return queue.filter((r) => r.state === 'open');
}

/** Sessions still to hold (outcomes not recorded), soonest first, and those held, latest first. */
export function splitSessions(sessions: readonly TrainingSessionDto[]): {
  readonly planned: TrainingSessionDto[];
  readonly past: TrainingSessionDto[];
} {
  const planned = sessions
    .filter((s) => s.completedAt === null)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = sessions
    .filter((s) => s.completedAt !== null)
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { planned, past };
}

/** The outcomes form's starting point: every trainee qualified, every machine of the type chosen. */
export function defaultOutcomes(session: TrainingSessionDto): {
  readonly results: Record<number, Result>;
  readonly machineIds: number[];
} {
  const results: Record<number, Result> = {};
  for (const t of session.trainees) results[t.memberId] = 'qualified';
  return {
    results,
    machineIds: session.machines.map((m) => m.id),
  };
}

/** What `POST /api/training-sessions/:id/outcomes` receives; no machines when nobody qualified. */
export function outcomesBody(
  session: TrainingSessionDto,
  results: Readonly<Record<number, Result>>,
  machineIds: readonly number[],
): TrainingOutcomesInput {
  const outcomes = session.trainees.map((t) => ({
    memberId: t.memberId,
    outcome: results[t.memberId] ?? 'absent',
  }));
  const anyQualified = outcomes.some((o) => o.outcome === 'qualified');
  return { outcomes, machineIds: anyQualified ? [...machineIds] : [] };
}

/** Who may be started on a machine under supervision: qualified trainees with a card. */
export function supervisable(session: TrainingSessionDto) {
  return session.trainees.filter((t) => t.outcome === 'qualified' && t.hasCard);
}

/** An `<input type="datetime-local">` value (local wall time) as an ISO instant; null when empty. */
export function localToIso(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** A request's cancel button: only open and planned requests can be cancelled. */
export const cancellable = (request: TrainingRequestDto) =>
  request.state === 'open' || request.state === 'planned';
