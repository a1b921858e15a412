import type { TrainingRequestDto, TrainingSessionDto } from '@fabomatic/contracts';
import {
  cancellable,
  defaultOutcomes,
  localToIso,
  outcomesBody,
  plannable,
  splitSessions,
  supervisable,
} from './training-logic';

const request = (id: number, state: TrainingRequestDto['state']): TrainingRequestDto => ({
  id,
  memberId: id,
  memberName: `Member ${id}`,
  machineTypeId: 1,
  machineTypeName: 'Laser',
  note: null,
  state,
  createdAt: '2026-03-01T10:00:00.000Z',
  trainingSessionId: null,
  session: null,
});

const session = (
  id: number,
  startsAt: string,
  completedAt: string | null,
  trainees: TrainingSessionDto['trainees'] = [],
): TrainingSessionDto => ({
  id,
  machineTypeId: 1,
  machineTypeName: 'Laser',
  trainer: { id: 9, name: 'Tina Trainer' },
  startsAt,
  place: 'Laser room',
  capacity: 4,
  trainees,
  completedAt,
  machines: [
    { id: 11, name: 'Laser A' },
    { id: 12, name: 'Laser B' },
  ],
});

const trainee = (
  memberId: number,
  outcome: TrainingSessionDto['trainees'][number]['outcome'],
  hasCard = true,
) => ({
  memberId,
  memberName: `Member ${memberId}`,
  hasCard,
  requestId: null,
  outcome,
});

describe('training logic', () => {
  it('plans only open requests, and cancels only open or planned ones', () => {
    const queue = [request(1, 'open'), request(2, 'planned'), request(3, 'open')];
    expect(plannable(queue).map((r) => r.id)).toEqual([1, 3]);
    expect(['open', 'planned', 'done', 'cancelled'].map((s) => cancellable(request(1, s as never)))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('splits sessions into planned (soonest first) and past (latest first)', () => {
    const split = splitSessions([
      session(1, '2026-03-10T10:00:00.000Z', null),
      session(2, '2026-03-01T10:00:00.000Z', '2026-03-01T12:00:00.000Z'),
      session(3, '2026-03-05T10:00:00.000Z', null),
      session(4, '2026-03-03T10:00:00.000Z', '2026-03-03T12:00:00.000Z'),
    ]);
    expect(split.planned.map((s) => s.id)).toEqual([3, 1]);
    expect(split.past.map((s) => s.id)).toEqual([4, 2]);
  });

  it('starts the outcomes with every trainee qualified and every machine chosen', () => {
    const s = session(1, '2026-03-10T10:00:00.000Z', null, [trainee(5, 'pending'), trainee(6, 'pending')]);
    expect(defaultOutcomes(s)).toEqual({ results: { 5: 'qualified', 6: 'qualified' }, machineIds: [11, 12] });
  });

  it('sends one outcome per trainee, and no machines when nobody qualified', () => {
    const s = session(1, '2026-03-10T10:00:00.000Z', null, [trainee(5, 'pending'), trainee(6, 'pending')]);
    expect(outcomesBody(s, { 5: 'qualified', 6: 'absent' }, [12])).toEqual({
      outcomes: [
        { memberId: 5, outcome: 'qualified' },
        { memberId: 6, outcome: 'absent' },
      ],
      machineIds: [12],
    });
    expect(outcomesBody(s, { 5: 'not-qualified' }, [11, 12])).toEqual({
      outcomes: [
        { memberId: 5, outcome: 'not-qualified' },
        { memberId: 6, outcome: 'absent' },
      ],
      machineIds: [],
    });
  });

  it('offers a supervised start to qualified trainees with a card', () => {
    const s = session(1, '2026-03-10T10:00:00.000Z', '2026-03-10T12:00:00.000Z', [
      trainee(5, 'qualified'),
      trainee(6, 'qualified', false),
      trainee(7, 'not-qualified'),
    ]);
    expect(supervisable(s).map((t) => t.memberId)).toEqual([5]);
  });

  it('reads a datetime-local value as an instant', () => {
    expect(localToIso('')).toBeNull();
    expect(localToIso('not a date')).toBeNull();
    expect(localToIso('2026-03-10T10:00')).toBe(new Date(2026, 2, 10, 10, 0).toISOString());
  });
});
