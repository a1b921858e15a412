import { isValidTopicId, normalizeCardUid } from '@fabomatic/board-protocol';
import type { DataSource, EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import { AccessEvent } from '../../app/access-events/access-event.entity';
import { rebuildUnknownCards, statementsOf } from '../../app/access-events/unknown-cards-table';
import { AuditEntry } from '../../app/audit/audit-entry.entity';
import { grantAuthorization } from '../../app/authorizations/certification-store';
import { Board } from '../../app/boards/board.entity';
import { MachineType } from '../../app/machine-types/machine-type.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Intervention } from '../../app/maintenance/intervention.entity';
import { MaintenancePlan } from '../../app/maintenance/maintenance-plan.entity';
import { Member } from '../../app/members/member.entity';
import { Role } from '../../app/roles/role.entity';
import { UsageAggregates } from '../../app/usage/usage-aggregates';
import { UsageSession } from '../../app/usage/usage-session.entity';
import { DEFAULT_LAB_TIME_ZONE } from '../../core/config/config.schema';
import { sqlRunnerOf } from '../../core/database/sql';
import type { LegacyData } from './legacy-reader';

export interface ImportReport {
  readonly revision: string;
  readonly dryRun: boolean;
  /** Per kind of record: how many the legacy database has, how many are imported. */
  readonly counts: Record<string, { readonly source: number; readonly imported: number }>;
  readonly warnings: readonly string[];
}

export class TargetNotEmptyError extends Error {}

const CHUNK = 400;

async function insertChunked<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  rows: E[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await em.insert(entity, rows.slice(i, i + CHUNK));
}

/** What every step of the import shares: the transaction, the source, the clock and the report. */
interface ImportRun {
  readonly em: EntityManager;
  readonly legacy: LegacyData;
  readonly now: Date;
  /** LAB_TIME_ZONE (certification days). */
  readonly timeZone: string;
  readonly warnings: string[];
  readonly count: (kind: string, source: number, imported: number) => void;
}

/** Legacy id → FabOMatic id, for the records a later step refers to. */
type IdMap = Map<number, number>;

/**
 * Imports a legacy database into an empty FabOMatic database (the bootstrap admin alone does not
 * count), in one transaction: all or nothing. Ids change; machines keep their topic id (the legacy
 * `machine_id`), so boards keep working. Passwords keep their Werkzeug hashes (accepted at login and
 * upgraded). With `dryRun`, everything is checked and counted, nothing is written.
 */
export async function importLegacy(
  dataSource: DataSource,
  legacy: LegacyData,
  dryRun: boolean,
  now = new Date(),
  timeZone = DEFAULT_LAB_TIME_ZONE,
): Promise<ImportReport> {
  const warnings: string[] = [];
  const counts: Record<string, { source: number; imported: number }> = {};
  const count = (kind: string, source: number, imported: number) => (counts[kind] = { source, imported });

  const run = async (em: EntityManager): Promise<void> => {
    const step: ImportRun = { em, legacy, now, timeZone, warnings, count };
    await assertEmptyTarget(em);
    await dropDefaultRoles(step);
    const roleIds = await importRoles(step);
    const memberIds = await importMembers(step, roleIds);
    const typeIds = await importMachineTypes(step);
    const machineIds = await importMachines(step, typeIds);
    await importAuthorizations(step, memberIds, machineIds);
    const planIds = await importMaintenancePlans(step, machineIds);
    await importInterventions(step, planIds, machineIds, memberIds);
    await importUsageSessions(step, memberIds, machineIds);
    await lastUses(step);
    await importUnknownCards(step, machineIds);
    await importBoards(step, machineIds);
    await auditImport(step, counts);
    // The report totals and plan counters of the imported history, in the same transaction.
    await new UsageAggregates(sqlRunnerOf(em), timeZone).rebuild();

    if (dryRun) throw new DryRunDone();
  };

  try {
    await dataSource.transaction(run);
  } catch (error) {
    if (!(error instanceof DryRunDone)) throw error;
  }
  return { revision: legacy.revision, dryRun, counts, warnings };
}

async function dropDefaultRoles({ em, warnings }: ImportRun): Promise<void> {
  const dropped = await dropUnusedRoles(em);
  if (dropped.length > 0) {
    warnings.push(
      `removed the roles a first start created, which no member had: ${dropped.join(', ')} (the lab keeps its legacy roles)`,
    );
  }
}

/** The legacy portal let every "backend_admin" do everything: they become admins. */
async function importRoles({ em, legacy, warnings, count }: ImportRun): Promise<IdMap> {
  const roleIds: IdMap = new Map();
  for (const r of legacy.roles) {
    const existing = await em.findOneBy(Role, { name: r.name });
    if (existing) {
      warnings.push(`role ${r.name} already exists: its legacy members join it`);
      roleIds.set(r.id, existing.id);
      continue;
    }
    const role = await em.save(
      em.create(Role, {
        name: r.name,
        authorizeAll: r.authorizeAll,
        maintenance: r.maintenance,
        reserved: r.reserved,
        // Without backend access: the members' portal (their own sessions, problem reports).
        portalAccess: r.backendAdmin ? 'admin' : 'member',
      }),
    );
    roleIds.set(r.id, role.id);
  }
  count('roles', legacy.roles.length, roleIds.size);
  if (!legacy.roles.some((r) => r.backendAdmin)) {
    warnings.push('no legacy role had portal access: an admin is created at first start (ADMIN_EMAIL)');
  }
  return roleIds;
}

/** Cards normalised (invalid ones dropped), emails unique, deleted members without card. */
async function importMembers(
  { em, legacy, now, warnings, count }: ImportRun,
  roleIds: IdMap,
): Promise<IdMap> {
  const memberIds: IdMap = new Map();
  const cards = new Set<string>();
  const emails = new Set(
    (await em.find(Member, { select: { email: true } })).map((m) => m.email).filter((e): e is string => !!e),
  );
  for (const u of legacy.users) {
    const roleId = roleIds.get(u.roleId);
    if (roleId === undefined) {
      warnings.push(`user ${u.id} (${u.name} ${u.surname}) has an unknown role ${u.roleId}: skipped`);
      continue;
    }
    let card = u.card ? normalizeCardUid(u.card) : null;
    if (u.card && !card)
      warnings.push(
        `user ${u.id} (${u.name} ${u.surname}): card "${u.card}" is not 8, 14 or 20 hex digits: not imported`,
      );
    if (card && cards.has(card)) {
      warnings.push(
        `user ${u.id} (${u.name} ${u.surname}): card ${card} belongs to another member: not imported`,
      );
      card = null;
    }
    let email = u.email ? u.email.toLowerCase() : null;
    if (email && emails.has(email)) {
      warnings.push(
        `user ${u.id} (${u.name} ${u.surname}): email ${email} is used by another member: not imported`,
      );
      email = null;
    }
    if (u.deleted) card = null;
    if (card) cards.add(card);
    if (email) emails.add(email);
    const member = await em.save(
      em.create(Member, {
        name: u.name || '?',
        surname: u.surname,
        email,
        cardUid: card,
        roleId,
        disabled: u.disabled,
        deletedAt: u.deleted ? now : null,
        passwordHash: u.passwordHash,
        mustChangePassword: false,
        receiveWeeklySummary: u.weeklySummary,
        language: 'it',
      }),
    );
    memberIds.set(u.id, member.id);
  }
  count('members', legacy.users.length, memberIds.size);
  return memberIds;
}

async function importMachineTypes({ em, legacy, count }: ImportRun): Promise<IdMap> {
  const typeIds: IdMap = new Map();
  for (const t of legacy.types) {
    const type = await em.save(
      em.create(MachineType, {
        name: t.name,
        autoLogoffMinutes: Math.max(0, Math.min(65535, Math.round(t.timeoutMin))),
        graceMinutes: Math.max(0, Math.min(65535, Math.round(t.graceMin))),
        accessManagement: t.open ? 'open' : 'authorization',
      }),
    );
    typeIds.set(t.id, type.id);
  }
  count('machineTypes', legacy.types.length, typeIds.size);
  return typeIds;
}

async function importMachines({ em, legacy, warnings, count }: ImportRun, typeIds: IdMap): Promise<IdMap> {
  const machineIds: IdMap = new Map();
  for (const m of legacy.machines) {
    const topicId = String(m.id);
    if (!isValidTopicId(topicId)) {
      warnings.push(`machine ${m.id} (${m.name}): id is not a board topic id (0..65535): skipped`);
      continue;
    }
    const machine = await em.save(
      em.create(Machine, {
        topicId,
        name: m.name,
        typeId: m.typeId === null ? null : (typeIds.get(m.typeId) ?? null),
        blocked: m.blocked,
        usageSeconds: Math.round(m.hours * 3600),
        lastSeenAt: m.lastSeen === null ? null : new Date(m.lastSeen),
      }),
    );
    machineIds.set(m.id, machine.id);
  }
  count('machines', legacy.machines.length, machineIds.size);
  return machineIds;
}

/**
 * Legacy authorizations have no dates: each starts active without expiry (history: `imported`), until
 * a policy is set on its machine type.
 */
async function importAuthorizations(
  { em, legacy, count, now, timeZone }: ImportRun,
  memberIds: IdMap,
  machineIds: IdMap,
): Promise<void> {
  const pairs = new Map<string, { memberId: number; machineId: number }>();
  for (const a of legacy.authorizations) {
    const memberId = memberIds.get(a.userId);
    const machineId = machineIds.get(a.machineId);
    if (memberId !== undefined && machineId !== undefined) {
      pairs.set(`${memberId}:${machineId}`, { memberId, machineId });
    }
  }
  const context = { actorId: null, now, timeZone };
  for (const { memberId, machineId } of pairs.values())
    await grantAuthorization(em, memberId, machineId, context, { expiresAt: null, change: 'imported' });
  count('authorizations', legacy.authorizations.length, pairs.size);
}

/** Usage decay counts from the last imported session on a machine of the authorization's type. */
async function lastUses({ em }: ImportRun): Promise<void> {
  await em.query(
    `UPDATE "authorizations" SET "lastUsedAt" = (
       SELECT MAX(s."startedAt") FROM "usage_sessions" s
       JOIN "machines" used ON used."id" = s."machineId"
       JOIN "machines" mine ON mine."id" = "authorizations"."machineId"
       WHERE s."memberId" = "authorizations"."memberId"
         AND (used."id" = mine."id" OR used."typeId" = mine."typeId"))`,
  );
}

async function importMaintenancePlans({ em, legacy, count }: ImportRun, machineIds: IdMap): Promise<IdMap> {
  const planIds: IdMap = new Map();
  for (const p of legacy.plans) {
    const machineId = machineIds.get(p.machineId);
    if (machineId === undefined) continue;
    const plan = await em.save(
      em.create(MaintenancePlan, {
        machineId,
        hoursBetween: p.hoursBetween > 0 ? p.hoursBetween : 1,
        description: p.description || '?',
        lcdMessage: p.lcdMessage.slice(0, 100),
        instructionsUrl: p.instructionsUrl,
      }),
    );
    planIds.set(p.id, plan.id);
  }
  count('maintenancePlans', legacy.plans.length, planIds.size);
  return planIds;
}

async function importInterventions(
  { em, legacy, count }: ImportRun,
  planIds: IdMap,
  machineIds: IdMap,
  memberIds: IdMap,
): Promise<void> {
  const interventions: Partial<Intervention>[] = [];
  for (const i of legacy.interventions) {
    const machineId = machineIds.get(i.machineId);
    if (machineId === undefined) continue;
    interventions.push({
      planId: i.planId === null ? null : (planIds.get(i.planId) ?? null),
      machineId,
      memberId: i.userId === null ? null : (memberIds.get(i.userId) ?? null),
      performedAt: new Date(i.at),
      replay: i.replay,
      source: 'import',
    });
  }
  await insertChunked(em, Intervention, interventions);
  count('interventions', legacy.interventions.length, interventions.length);
}

/**
 * The database allows one open session per machine: the latest stays open (the app closes it if
 * its board is silent), older open ones close at their last heartbeat.
 */
async function importUsageSessions(
  { em, legacy, warnings, count }: ImportRun,
  memberIds: IdMap,
  machineIds: IdMap,
): Promise<void> {
  const latestOpen = new Map<number, number>();
  for (const u of legacy.uses) {
    if (u.end === null && u.start > (latestOpen.get(u.machineId) ?? -Infinity))
      latestOpen.set(u.machineId, u.start);
  }
  const sessions: Partial<UsageSession>[] = [];
  let closedOpen = 0;
  for (const u of legacy.uses) {
    const memberId = memberIds.get(u.userId);
    const machineId = machineIds.get(u.machineId);
    if (memberId === undefined || machineId === undefined) continue;
    const stillOpen = u.end === null && latestOpen.get(u.machineId) === u.start;
    if (u.end === null && !stillOpen) closedOpen++;
    const end = u.end ?? (stillOpen ? null : u.lastSeen);
    sessions.push({
      memberId,
      machineId,
      startedAt: new Date(u.start),
      lastSeenAt: new Date(Math.max(u.lastSeen, u.start)),
      endedAt: end === null ? null : new Date(Math.max(end, u.start)),
      endReason: end === null ? null : 'import',
      replay: u.replay,
    });
  }
  await insertChunked(em, UsageSession, sessions);
  count('usageSessions', legacy.uses.length, sessions.length);
  if (closedOpen > 0)
    warnings.push(
      `${closedOpen} open legacy sessions closed at their last heartbeat (one open session per machine)`,
    );
}

async function importUnknownCards({ em, legacy, count }: ImportRun, machineIds: IdMap): Promise<void> {
  const unknown: Partial<AccessEvent>[] = [];
  for (const c of legacy.unknownCards) {
    const card = normalizeCardUid(c.card);
    if (!card) continue;
    unknown.push({
      occurredAt: new Date(c.at),
      topicId: c.machineId === null ? '' : String(c.machineId),
      machineId: c.machineId === null ? null : (machineIds.get(c.machineId) ?? null),
      cardUid: card,
      memberId: null,
      action: 'checkuser',
      reason: 'unknown-card',
      granted: false,
      level: 0,
      replay: false,
      actorMemberId: null,
    });
  }
  await insertChunked(em, AccessEvent, unknown);
  // The unknown-cards page reads its per-card table: count the imported taps into it.
  await rebuildUnknownCards(statementsOf(em));
  count('unknownCards', legacy.unknownCards.length, unknown.length);
}

async function importBoards({ em, legacy, now, count }: ImportRun, machineIds: IdMap): Promise<void> {
  const boards: Partial<Board>[] = [];
  const serials = new Set<string>();
  for (const b of legacy.boards) {
    const serial =
      b.serial && /^[0-9a-f]{12}$/i.test(b.serial.replace(/[:-]/g, ''))
        ? b.serial.replace(/[:-]/g, '').toLowerCase()
        : null;
    if (serial && serials.has(serial)) continue;
    if (serial) serials.add(serial);
    boards.push({
      serial,
      topicId: b.machineId === null ? '' : String(b.machineId),
      machineId: b.machineId === null ? null : (machineIds.get(b.machineId) ?? null),
      ipAddress: b.ip,
      firmwareVersion: b.firmware,
      freeHeap: b.heap,
      lastSeenAt: new Date(b.lastSeen ?? now.getTime()),
    });
  }
  await insertChunked(em, Board, boards);
  count('boards', legacy.boards.length, boards.length);
}

async function auditImport({ em, legacy, now }: ImportRun, counts: ImportReport['counts']): Promise<void> {
  await em.insert(AuditEntry, {
    occurredAt: now,
    actorMemberId: null,
    actorLabel: 'cli',
    action: 'import-legacy',
    entityType: 'system',
    entityId: null,
    before: null,
    after: { revision: legacy.revision, counts },
  });
}

/**
 * An empty target that was started once holds the default roles of a fresh install
 * (roles/default-roles.ts): the import brings the lab's own roles, so those nobody has go. The
 * bootstrap admin's role stays (with its admin).
 */
async function dropUnusedRoles(em: EntityManager): Promise<string[]> {
  const unused = await em
    .createQueryBuilder(Role, 'r')
    .where('r."reserved" = :no', { no: false })
    .andWhere('NOT EXISTS (SELECT 1 FROM "members" m WHERE m."roleId" = r."id")')
    .orderBy('r."id"')
    .getMany();
  if (unused.length > 0)
    await em.delete(
      Role,
      unused.map((r) => r.id),
    );
  return unused.map((r) => r.name);
}

/** Rolls the dry run's transaction back once everything has been checked. */
class DryRunDone extends Error {}

async function assertEmptyTarget(em: EntityManager): Promise<void> {
  const machines = await em.count(Machine);
  const sessions = await em.count(UsageSession);
  const members = await em.find(Member, { select: { id: true, mustChangePassword: true } });
  const onlyBootstrapAdmin = members.length === 1 && members[0]?.mustChangePassword === true;
  if (machines > 0 || sessions > 0 || (members.length > 0 && !onlyBootstrapAdmin)) {
    throw new TargetNotEmptyError(
      `the target database already holds data (${members.length} members, ${machines} machines, ${sessions} sessions): import into an empty database`,
    );
  }
}
