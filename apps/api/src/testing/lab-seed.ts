import type { SeedFile } from '../cli/seed';

/** Cards of the test lab (lower-case, as boards send them). */
export const CARDS = {
  admin: 'a1b2c3d4',
  staff: '5a5a5a5a',
  lucia: 'aabbccd1',
  mario: '11223344',
  disabled: 'dddddddd',
  unknown: 'deadbeef',
} as const;

/** A small lab covering every access rule: roles of each level, open and managed machine types. */
export const LAB_SEED: SeedFile = {
  roles: [
    { name: 'Admins', authorizeAll: true, maintenance: true, portalAccess: 'admin' },
    { name: 'Fab Staff', maintenance: true, portalAccess: 'manager' },
    { name: 'Fab Users' },
  ],
  machineTypes: [
    { name: 'Printer', autoLogoffMinutes: 1440, graceMinutes: 2 },
    { name: 'Hand tools', autoLogoffMinutes: 120, graceMinutes: 0, accessManagement: 'open' },
  ],
  machines: [
    { topicId: '1', name: 'Prusa MK4', type: 'Printer' },
    { topicId: '012', name: 'Laser Trotec Speedy 400', type: 'Printer' },
    { topicId: '3', name: 'Trapano', type: 'Hand tools' },
    { topicId: '4', name: 'Fresa CNC', type: 'Printer', blocked: true },
  ],
  members: [
    { name: 'Ada', surname: 'Admin', email: 'admin@example.org', role: 'Admins', card: CARDS.admin },
    { name: 'Stefano', surname: 'Staff', email: 'staff@example.org', role: 'Fab Staff', card: CARDS.staff },
    { name: 'Lucía', surname: 'Martínez', role: 'Fab Users', card: CARDS.lucia.toUpperCase() },
    { name: 'Mario', surname: 'Rossi', role: 'Fab Users', card: CARDS.mario },
    { name: 'Dora', surname: 'Disabled', role: 'Fab Users', card: CARDS.disabled, disabled: true },
  ],
  authorizations: [
    { member: CARDS.lucia, machine: '1' },
    { member: CARDS.lucia, machine: '012' },
    { member: CARDS.lucia, machine: '4' },
    { member: CARDS.staff, machine: '1' },
    { member: CARDS.mario, machine: '1' },
    { member: CARDS.mario, machine: '012', expiresAt: '2020-01-01T00:00:00Z' },
    { member: CARDS.disabled, machine: '1' },
  ],
  maintenancePlans: [
    {
      machine: '012',
      hoursBetween: 1,
      description: 'Clean the lens and mirrors',
      lcdMessage: 'Pulire lente',
    },
  ],
};
