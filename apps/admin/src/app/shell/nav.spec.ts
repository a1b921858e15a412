import { NAV_GROUPS, visibleNav } from './nav';

describe('the staff navigation', () => {
  const paths = (groups: ReturnType<typeof visibleNav>) => groups.flatMap((g) => g.links.map((l) => l.path));

  it('groups the pages by task, each page once', () => {
    expect(NAV_GROUPS.map((group) => group.id)).toEqual(['lab', 'people', 'activity', 'system']);
    const all = paths(visibleNav('admin'));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(
      expect.arrayContaining([
        '/',
        '/machines',
        '/machine-types',
        '/boards',
        '/problems',
        '/maintenance',
        '/members',
        '/roles',
        '/authorizations',
        '/training',
        '/usage',
        '/access-events',
        '/reports',
        '/audit',
        '/system',
        '/system/kiosks',
        '/profile',
      ]),
    );
    expect(NAV_GROUPS.find((g) => g.id === 'lab')?.links.map((l) => l.path)).toContain('/problems');
  });

  it('shows an admin everything and read-only staff no admin pages', () => {
    expect(paths(visibleNav('admin'))).toHaveLength(17);
    const readOnly = paths(visibleNav('read-only'));
    expect(readOnly).not.toContain('/audit');
    expect(readOnly).not.toContain('/system');
    expect(readOnly).not.toContain('/system/kiosks');
    expect(paths(visibleNav('manager'))).toContain('/system/kiosks');
    expect(readOnly).toContain('/problems');
    expect(visibleNav('manager').map((g) => g.id)).toEqual(['lab', 'people', 'activity', 'system']);
  });

  it('leaves out a group with nothing left in it', () => {
    expect(visibleNav('member')).toEqual([]);
    expect(visibleNav('none')).toEqual([]);
    const adminOnly = [
      { id: 'x', heading: 'x', links: [{ path: '/system', label: 'x', level: 'admin' as const }] },
    ];
    expect(visibleNav('manager', adminOnly)).toEqual([]);
  });
});
