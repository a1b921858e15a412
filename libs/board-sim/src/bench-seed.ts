import { randomBytes } from 'node:crypto';
import type { LoadTarget } from './load';

/** A seed file of `fabomatic seed` (docs/seed.md), as far as the benchmarks write and read it. */
export interface SeedFile {
  readonly roles: readonly object[];
  readonly machineTypes: readonly object[];
  readonly machines: readonly { readonly topicId: string; readonly name: string; readonly type: string }[];
  readonly members: readonly object[];
  readonly authorizations: readonly { readonly member: string; readonly machine: string }[];
  readonly maintenancePlans: readonly object[];
}

/**
 * The bench's lab for `boards` boards: one machine, authorized member and maintenance plan a board,
 * an unauthorized member's and an unknown card each, one maintainer for every machine. Used by
 * `npm run bench` and `npm run bench:board-path` (tools/bench-board-path.cjs).
 */
export function generateSeed(boards: number): { seed: SeedFile; targets: LoadTarget[] } {
  const cards = new Set<string>();
  while (cards.size < boards * 3 + 1) cards.add(randomBytes(4).toString('hex'));
  const all = [...cards];
  const uids = all.slice(0, boards);
  const unauthorized = all.slice(boards, boards * 2);
  const unknown = all.slice(boards * 2, boards * 3);
  const staff = all[boards * 3] ?? '';
  const machines = uids.map((_, i) => ({ topicId: String(i + 1), name: `Bench ${i + 1}`, type: 'Printer' }));
  const member = (card: string, surname: string, email: string, role = 'Members') => ({
    name: 'Bench',
    surname,
    email,
    role,
    card,
  });
  return {
    seed: {
      roles: [
        { name: 'Members', authorizeAll: false, maintenance: false, portalAccess: 'none' },
        { name: 'Staff', authorizeAll: true, maintenance: true, portalAccess: 'none' },
      ],
      machineTypes: [
        { name: 'Printer', autoLogoffMinutes: 1440, graceMinutes: 2, accessManagement: 'authorization' },
      ],
      machines,
      members: [
        ...uids.map((card, i) => member(card, `Member ${i + 1}`, `bench${i + 1}@example.org`)),
        ...unauthorized.map((card, i) => member(card, `Visitor ${i + 1}`, `visitor${i + 1}@example.org`)),
        member(staff, 'Staff', 'staff@example.org', 'Staff'),
      ],
      authorizations: uids.map((card, i) => ({ member: card, machine: String(i + 1) })),
      // Far from due, so the maintenance taps record "nothing due" and the machines stay usable.
      maintenancePlans: machines.map((m) => ({
        machine: m.topicId,
        hoursBetween: 100_000,
        description: 'Bench check',
      })),
    },
    targets: uids.map((uid, i) => ({
      topicId: String(i + 1),
      uid,
      unknownUid: unknown[i] ?? '',
      unauthorizedUid: unauthorized[i] ?? '',
      maintainerUid: staff,
    })),
  };
}
