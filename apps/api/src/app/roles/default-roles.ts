import type { EntityManager } from 'typeorm';
import { Machine } from '../machines/machine.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Member } from '../members/member.entity';
import { Role } from './role.entity';

/** The name of the default role the first (bootstrap) admin belongs to. */
export const DEFAULT_ADMIN_ROLE = 'Admins';

/**
 * The roles a fresh install starts with (issue 12): members tap their cards and use the members' portal;
 * maintainers also do maintenance; staff manage the lab in the portal; admins do everything. Editable like any other.
 */
export const DEFAULT_ROLES: readonly Pick<Role, 'name' | 'authorizeAll' | 'maintenance' | 'portalAccess'>[] =
  [
    { name: 'Members', authorizeAll: false, maintenance: false, portalAccess: 'member' },
    { name: 'Maintainers', authorizeAll: false, maintenance: true, portalAccess: 'member' },
    { name: 'Staff', authorizeAll: false, maintenance: false, portalAccess: 'manager' },
    { name: DEFAULT_ADMIN_ROLE, authorizeAll: true, maintenance: true, portalAccess: 'admin' },
  ];

/**
 * A database nothing has been put in yet: no role, no member (not even a deleted one), no machine
 * type, no machine. An upgraded database has at least its admin's role; a legacy import or a seed
 * brings roles too: those never get the defaults.
 */
async function isFreshInstall(em: EntityManager): Promise<boolean> {
  for (const entity of [Role, Member, MachineType, Machine]) {
    // One row at most each (EXISTS): cheap whatever the size of the lab.
    if (await em.getRepository(entity).exists()) return false;
  }
  return true;
}

/** Creates {@link DEFAULT_ROLES} on a fresh install; returns whether it did. */
export async function createDefaultRoles(em: EntityManager): Promise<boolean> {
  if (!(await isFreshInstall(em))) return false;
  for (const role of DEFAULT_ROLES) await em.save(em.create(Role, { ...role, reserved: false }));
  return true;
}
