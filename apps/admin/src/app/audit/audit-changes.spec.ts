import { auditChanges } from './audit-changes';

describe('audit changes', () => {
  it('lists only the fields an update changed', () => {
    expect(
      auditChanges({
        before: { name: 'Laser', blocked: false, typeId: 1 },
        after: { name: 'Laser', blocked: true, typeId: 1 },
      }),
    ).toEqual([{ field: 'blocked', before: 'false', after: 'true' }]);
  });

  it('lists what a creation set and what a deletion removed', () => {
    expect(auditChanges({ before: null, after: { name: 'Drill', hours: null } })).toEqual([
      { field: 'name', before: null, after: 'Drill' },
      { field: 'hours', before: null, after: '—' },
    ]);
    expect(auditChanges({ before: { name: 'Drill' }, after: null })).toEqual([
      { field: 'name', before: 'Drill', after: null },
    ]);
  });

  it('shows nested values as JSON', () => {
    expect(auditChanges({ before: { plans: [1] }, after: { plans: [1, 2] } })).toEqual([
      { field: 'plans', before: '[1]', after: '[1,2]' },
    ]);
  });
});
