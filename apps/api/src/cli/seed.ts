import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ACCESS_MANAGEMENT, PORTAL_ACCESS_LEVELS } from '@fabomatic/contracts';
import { isValidTopicId, normalizeCardUid } from '@fabomatic/board-protocol';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../core/config/config.schema';
import { createDataSource } from '../core/database/data-source';
import { Authorization } from '../app/authorizations/authorization.entity';
import { MachineType } from '../app/machine-types/machine-type.entity';
import { Machine } from '../app/machines/machine.entity';
import { MaintenancePlan } from '../app/maintenance/maintenance-plan.entity';
import { Member } from '../app/members/member.entity';
import { Role } from '../app/roles/role.entity';
import { hashPassword } from '../app/auth/password-hashing';

const card = z.string().transform((v, ctx) => {
  const uid = normalizeCardUid(v);
  if (!uid) ctx.addIssue({ code: 'custom', message: 'card must be 8, 14 or 20 hex chars' });
  return uid ?? z.NEVER;
});

/** The seed file format (docs/seed.md). Names are the keys: seeding twice updates, never duplicates. */
export const seedSchema = z
  .object({
    roles: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            authorizeAll: z.boolean().default(false),
            maintenance: z.boolean().default(false),
            portalAccess: z.enum(PORTAL_ACCESS_LEVELS).default('none'),
          })
          .strict(),
      )
      .default([]),
    machineTypes: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            autoLogoffMinutes: z.number().int().min(0).max(65535).default(1440),
            graceMinutes: z.number().int().min(0).max(65535).default(2),
            accessManagement: z.enum(ACCESS_MANAGEMENT).default('authorization'),
          })
          .strict(),
      )
      .default([]),
    machines: z
      .array(
        z
          .object({
            topicId: z.string().refine(isValidTopicId, 'topicId must be digits 0..65535'),
            name: z.string().min(1).max(100),
            type: z.string().optional(),
            blocked: z.boolean().default(false),
            hours: z.number().min(0).default(0),
          })
          .strict(),
      )
      .default([]),
    members: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            surname: z.string().max(100).default(''),
            email: z.email().optional(),
            role: z.string(),
            card: card.optional(),
            password: z.string().min(8).optional(),
            disabled: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    authorizations: z
      .array(
        z
          .object({ member: z.string(), machine: z.string(), expiresAt: z.iso.datetime().optional() })
          .strict(),
      )
      .default([]),
    maintenancePlans: z
      .array(
        z
          .object({
            machine: z.string(),
            hoursBetween: z.number().positive(),
            description: z.string().min(1).max(500),
            lcdMessage: z.string().max(100).default(''),
            instructionsUrl: z.url().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type SeedFile = z.input<typeof seedSchema>;
export type SeedCounts = Record<
  'roles' | 'machineTypes' | 'machines' | 'members' | 'authorizations' | 'maintenancePlans',
  number
>;

export async function seedFromFile(config: AppConfig, file: string): Promise<SeedCounts> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read seed file ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `invalid seed file ${file}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    return await dataSource.transaction((em) => applySeed(em, parsed.data));
  } finally {
    await dataSource.destroy();
  }
}

type Seed = z.output<typeof seedSchema>;

export async function applySeed(em: EntityManager, seed: Seed): Promise<SeedCounts> {
  const roles = await seedRoles(em, seed.roles);
  await seedMachineTypes(em, seed.machineTypes);
  await seedMachines(em, seed.machines);
  await seedMembers(em, seed.members, roles);
  await seedAuthorizations(em, seed.authorizations);
  await seedMaintenancePlans(em, seed.maintenancePlans);
  return {
    roles: seed.roles.length,
    machineTypes: seed.machineTypes.length,
    machines: seed.machines.length,
    members: seed.members.length,
    authorizations: seed.authorizations.length,
    maintenancePlans: seed.maintenancePlans.length,
  };
}

/** The seeded roles by name, for the members that name them. */
async function seedRoles(em: EntityManager, entries: Seed['roles']): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>();
  for (const r of entries) {
    const role = (await em.findOneBy(Role, { name: r.name })) ?? em.create(Role, { name: r.name });
    Object.assign(role, {
      authorizeAll: r.authorizeAll,
      maintenance: r.maintenance,
      portalAccess: r.portalAccess,
    });
    roles.set(r.name, await em.save(role));
  }
  return roles;
}

async function seedMachineTypes(em: EntityManager, types: Seed['machineTypes']): Promise<void> {
  for (const t of types) {
    const type =
      (await em.findOneBy(MachineType, { name: t.name })) ?? em.create(MachineType, { name: t.name });
    Object.assign(type, t);
    await em.save(type);
  }
}

async function seedMachines(em: EntityManager, machines: Seed['machines']): Promise<void> {
  for (const m of machines) {
    const type = m.type ? await em.findOneBy(MachineType, { name: m.type }) : null;
    if (m.type && !type) throw new Error(`machine ${m.name}: unknown type "${m.type}"`);
    const machine =
      (await em.findOneBy(Machine, { topicId: m.topicId })) ?? em.create(Machine, { topicId: m.topicId });
    Object.assign(machine, {
      name: m.name,
      typeId: type?.id ?? null,
      blocked: m.blocked,
      usageSeconds: Math.round(m.hours * 3600),
    });
    await em.save(machine);
  }
}

/** A member is found again by email, else by card. */
async function seedMembers(
  em: EntityManager,
  members: Seed['members'],
  roles: ReadonlyMap<string, Role>,
): Promise<void> {
  for (const m of members) {
    const role = roles.get(m.role) ?? (await em.findOneBy(Role, { name: m.role }));
    if (!role) throw new Error(`unknown role "${m.role}"`);
    const email = m.email?.toLowerCase() ?? null;
    const existing =
      (email ? await em.findOneBy(Member, { email }) : null) ??
      (m.card ? await em.findOneBy(Member, { cardUid: m.card }) : null);
    const member = existing ?? em.create(Member, {});
    Object.assign(member, {
      name: m.name,
      surname: m.surname,
      email,
      cardUid: m.card ?? null,
      roleId: role.id,
      disabled: m.disabled,
      deletedAt: null,
      passwordHash: m.password ? await hashPassword(m.password) : (member.passwordHash ?? null),
    });
    await em.save(member);
  }
}

async function seedAuthorizations(em: EntityManager, authorizations: Seed['authorizations']): Promise<void> {
  for (const a of authorizations) {
    const member = await findMember(em, a.member);
    const machine = await findMachine(em, a.machine);
    const auth =
      (await em.findOneBy(Authorization, { memberId: member.id, machineId: machine.id })) ??
      em.create(Authorization, { memberId: member.id, machineId: machine.id });
    auth.expiresAt = a.expiresAt ? new Date(a.expiresAt) : null;
    await em.save(auth);
  }
}

/** A plan is found again by its machine and description. */
async function seedMaintenancePlans(em: EntityManager, plans: Seed['maintenancePlans']): Promise<void> {
  for (const p of plans) {
    const machine = await findMachine(em, p.machine);
    const plan =
      (await em.findOneBy(MaintenancePlan, { machineId: machine.id, description: p.description })) ??
      em.create(MaintenancePlan, { machineId: machine.id, description: p.description });
    Object.assign(plan, {
      hoursBetween: p.hoursBetween,
      lcdMessage: p.lcdMessage,
      instructionsUrl: p.instructionsUrl ?? null,
    });
    await em.save(plan);
  }
}

/** A seed file names a member by card uid or by email. */
async function findMember(em: EntityManager, key: string): Promise<Member> {
  const uid = normalizeCardUid(key);
  const member = uid
    ? await em.findOneBy(Member, { cardUid: uid })
    : await em.findOneBy(Member, { email: key.toLowerCase() });
  if (!member) throw new Error(`unknown member "${key}" (give a card uid or an email)`);
  return member;
}

async function findMachine(em: EntityManager, topicId: string): Promise<Machine> {
  const machine = await em.findOneBy(Machine, { topicId });
  if (!machine) throw new Error(`unknown machine topicId "${topicId}"`);
  return machine;
}
