import { hasAccess, type PortalAccess } from '@fabomatic/contracts';

/** One page in the staff navigation and the level it needs. */
export interface NavLink {
  readonly path: string;
  /** Translation key of the link's text. */
  readonly label: string;
  readonly level: PortalAccess;
}

/** A group of pages by the task they serve, under a translated heading. */
export interface NavGroup {
  readonly id: string;
  /** Translation key of the group's heading. */
  readonly heading: string;
  readonly links: readonly NavLink[];
}

/**
 * The staff portal's pages grouped by task: running the lab, its people, what happened, and the
 * system itself. Every page the portal has is here once; the shell shows what the user may use.
 */
export const NAV_GROUPS: readonly NavGroup[] = [
  {
    id: 'lab',
    heading: 'shell.nav.groups.lab',
    links: [
      { path: '/', label: 'shell.nav.dashboard', level: 'read-only' },
      { path: '/machines', label: 'shell.nav.machines', level: 'read-only' },
      { path: '/machine-types', label: 'shell.nav.machine-types', level: 'read-only' },
      { path: '/boards', label: 'shell.nav.boards', level: 'read-only' },
      { path: '/problems', label: 'shell.nav.problems', level: 'read-only' },
      { path: '/maintenance', label: 'shell.nav.maintenance', level: 'read-only' },
    ],
  },
  {
    id: 'people',
    heading: 'shell.nav.groups.people',
    links: [
      { path: '/members', label: 'shell.nav.members', level: 'read-only' },
      { path: '/roles', label: 'shell.nav.roles', level: 'read-only' },
      { path: '/authorizations', label: 'shell.nav.authorizations', level: 'read-only' },
      { path: '/training', label: 'shell.nav.training', level: 'read-only' },
    ],
  },
  {
    id: 'activity',
    heading: 'shell.nav.groups.activity',
    links: [
      { path: '/usage', label: 'shell.nav.usage', level: 'read-only' },
      { path: '/access-events', label: 'shell.nav.access-events', level: 'read-only' },
      { path: '/reports', label: 'shell.nav.reports', level: 'read-only' },
      { path: '/audit', label: 'shell.nav.audit', level: 'admin' },
    ],
  },
  {
    id: 'system',
    heading: 'shell.nav.groups.system',
    links: [
      { path: '/system', label: 'shell.nav.system', level: 'admin' },
      { path: '/system/kiosks', label: 'shell.nav.kiosks', level: 'manager' },
      { path: '/profile', label: 'shell.nav.profile', level: 'read-only' },
    ],
  },
];

/** The groups as a user of `access` sees them: only the links they may use, no empty group. */
export function visibleNav(access: PortalAccess, groups: readonly NavGroup[] = NAV_GROUPS): NavGroup[] {
  return groups
    .map((group) => ({ ...group, links: group.links.filter((link) => hasAccess(access, link.level)) }))
    .filter((group) => group.links.length > 0);
}
