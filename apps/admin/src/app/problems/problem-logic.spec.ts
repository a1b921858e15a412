import type { ProblemReportDto } from '@fabomatic/contracts';
import {
  formatAge,
  formatDuration,
  mayDeclareOutOfOrder,
  openFirst,
  openOutOfOrder,
  photoProblem,
  problemActions,
  withReport,
} from './problem-logic';

const MB = 1024 * 1024;

function report(over: Partial<ProblemReportDto>): ProblemReportDto {
  return {
    id: 1,
    machineId: 3,
    machineName: 'Laser',
    severity: 'out-of-order',
    hardLock: false,
    description: 'Smoke',
    state: 'open',
    hasPhoto: false,
    reporter: { id: 7, name: 'Ada Lovelace' },
    mine: false,
    createdAt: '2026-12-01T10:00:00Z',
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    cancelledAt: null,
    ...over,
  };
}

describe('the photo check', () => {
  it('takes a JPEG, PNG or WebP up to 5 MB', () => {
    expect(photoProblem({ type: 'image/jpeg', size: 5 * MB })).toBeNull();
    expect(photoProblem({ type: 'image/png', size: 1 })).toBeNull();
    expect(photoProblem({ type: 'image/webp', size: 2 * MB })).toBeNull();
  });

  it('refuses another type, whatever its size', () => {
    expect(photoProblem({ type: 'image/heic', size: 1 })?.key).toBe('problems.photo.wrong-type');
    expect(photoProblem({ type: '', size: 1 })?.key).toBe('problems.photo.wrong-type');
    expect(photoProblem({ type: 'application/pdf', size: 9 * MB })?.key).toBe('problems.photo.wrong-type');
  });

  it('refuses a photo over 5 MB, saying its size and the limit', () => {
    expect(photoProblem({ type: 'image/jpeg', size: 5 * MB + 1 })).toEqual({
      key: 'problems.photo.too-big',
      params: { max: 5, size: '5.1' },
    });
    expect(photoProblem({ type: 'image/png', size: 12.3 * MB })?.params['size']).toBe('12.3');
  });
});

describe('who may declare a machine out of order', () => {
  it('is staff always, and members when the machine type allows it', () => {
    expect(mayDeclareOutOfOrder({ mayDeclareOutOfOrder: true }, 'member')).toBe(true);
    expect(mayDeclareOutOfOrder({ mayDeclareOutOfOrder: false }, 'member')).toBe(false);
    expect(mayDeclareOutOfOrder(null, 'member')).toBe(false);
    expect(mayDeclareOutOfOrder({ mayDeclareOutOfOrder: false }, 'read-only')).toBe(true);
    expect(mayDeclareOutOfOrder(null, 'manager')).toBe(true);
  });
});

describe('the actions a report offers', () => {
  it('lets a manager resolve, lock and stop the machine of an open out-of-order report', () => {
    expect(problemActions(report({}), 'manager', true)).toEqual({
      resolve: true,
      hardLock: true,
      cancel: false,
      stopSession: true,
    });
    expect(problemActions(report({}), 'admin', false).stopSession).toBe(false);
  });

  it('has no hard lock for a note', () => {
    expect(problemActions(report({ severity: 'note' }), 'admin').hardLock).toBe(false);
    expect(problemActions(report({ severity: 'note' }), 'admin').resolve).toBe(true);
  });

  it('lets read-only staff and members only look, the reporter cancel while open', () => {
    const none = { resolve: false, hardLock: false, cancel: false, stopSession: false };
    expect(problemActions(report({}), 'read-only', true)).toEqual(none);
    expect(problemActions(report({}), 'member', true)).toEqual(none);
    expect(problemActions(report({ mine: true }), 'member')).toEqual({ ...none, cancel: true });
    expect(problemActions(report({ mine: true }), 'read-only').cancel).toBe(true);
  });

  it('offers nothing on a resolved or cancelled report', () => {
    const none = { resolve: false, hardLock: false, cancel: false, stopSession: false };
    for (const state of ['resolved', 'cancelled'] as const) {
      expect(problemActions(report({ state, mine: true }), 'admin', true)).toEqual(none);
    }
  });
});

describe('the order of reports', () => {
  it('puts open reports first, out of order before notes, then the newest', () => {
    const list = [
      report({ id: 1, state: 'resolved', createdAt: '2026-12-04T00:00:00Z' }),
      report({ id: 2, severity: 'note', createdAt: '2026-12-03T00:00:00Z' }),
      report({ id: 3, createdAt: '2026-12-01T00:00:00Z' }),
      report({ id: 4, state: 'cancelled', createdAt: '2026-12-05T00:00:00Z' }),
      report({ id: 5, createdAt: '2026-12-02T00:00:00Z' }),
      report({ id: 6, state: 'resolved', createdAt: '2026-12-05T00:00:00Z' }),
    ];
    expect(openFirst(list).map((r) => r.id)).toEqual([5, 3, 2, 6, 1, 4]);
  });

  it('alerts the open out-of-order reports, oldest first, and follows pushed changes', () => {
    let list = [
      report({ id: 1, createdAt: '2026-12-02T00:00:00Z' }),
      report({ id: 2, severity: 'note' }),
      report({ id: 3, createdAt: '2026-12-01T00:00:00Z' }),
    ];
    expect(openOutOfOrder(list).map((r) => r.id)).toEqual([3, 1]);
    list = [...withReport(list, report({ id: 3, state: 'resolved' }))];
    expect(openOutOfOrder(list).map((r) => r.id)).toEqual([1]);
    list = [...withReport(list, report({ id: 9 }))];
    expect(openOutOfOrder(list).map((r) => r.id)).toEqual([9, 1]);
  });
});

describe('durations and ages', () => {
  it('says a duration in two units at most', () => {
    expect(formatDuration(12 * 60_000, 'en')).toBe('12 min');
    expect(formatDuration((3 * 60 + 5) * 60_000, 'en')).toBe('3 hr 5 min');
    expect(formatDuration(2 * 3_600_000, 'en')).toBe('2 hr');
    expect(formatDuration((50 * 60 + 59) * 60_000, 'en')).toBe('2 days 2 hr');
    expect(formatDuration(-5, 'en')).toBe('0 min');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(formatAge('2026-12-05T11:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(formatAge('2026-12-05T09:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(formatAge('2026-12-04T11:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatAge('2026-12-05T12:00:30Z', now, 'en')).toBe('now');
  });
});
