import { type AuditEntryDto, printedSerial } from '@fabomatic/contracts';
import { type EntityManager, type EntityTarget, In, type ObjectLiteral } from 'typeorm';
import { Board } from '../boards/board.entity';
import { Kiosk } from '../kiosks/kiosk.entity';
import { BoardAccount } from '../boards/board-account.entity';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { MaintenancePlan } from '../maintenance/maintenance-plan.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';

type Snapshot = Readonly<Record<string, unknown>> | null;

const memberName = (m: { name?: unknown; surname?: unknown }): string | null =>
  typeof m.name === 'string' ? `${m.name} ${typeof m.surname === 'string' ? m.surname : ''}`.trim() : null;
const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const boardName = (b: { serial?: unknown; topicId?: unknown }): string | null =>
  text(b.serial) ? printedSerial(b.serial as string) : text(b.topicId);

/** Entity types named by their own row: the table, the columns read, the name made of them. */
const NAMED: Readonly<
  Record<
    string,
    { target: EntityTarget<ObjectLiteral>; select: string[]; name: (row: ObjectLiteral) => string | null }
  >
> = {
  member: { target: Member, select: ['id', 'name', 'surname'], name: memberName },
  machine: { target: Machine, select: ['id', 'name'], name: (r) => text(r['name']) },
  'machine-type': { target: MachineType, select: ['id', 'name'], name: (r) => text(r['name']) },
  role: { target: Role, select: ['id', 'name'], name: (r) => text(r['name']) },
  'maintenance-plan': {
    target: MaintenancePlan,
    select: ['id', 'description'],
    name: (r) => text(r['description']),
  },
  board: { target: Board, select: ['id', 'serial', 'topicId'], name: boardName },
  'board-account': { target: BoardAccount, select: ['id', 'topicId'], name: (r) => text(r['topicId']) },
  kiosk: { target: Kiosk, select: ['id', 'name'], name: (r) => text(r['name']) },
};

/** Entity types named by the member and machine they link (ids read from the entry's snapshot). */
const LINKS = new Set(['authorization', 'usage-session', 'intervention']);

const numeric = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;

/** The name an entry's own snapshot gives (the row may be gone). */
function snapshotName(type: string, snapshot: Snapshot): string | null {
  if (!snapshot) return null;
  if (type === 'member') return memberName(snapshot);
  if (type === 'maintenance-plan') return text(snapshot['description']);
  if (type === 'board') return boardName(snapshot);
  if (type === 'board-account') return text(snapshot['topicId']);
  return text(snapshot['name']);
}

/**
 * The page's entries with the names of who acted and what they acted on, as the database has them
 * now. Reads only rows the page refers to: at most one `id IN (…)` query per entity type present
 * (a page holds at most 100 entries), each by primary key, whatever the log's size.
 */
export async function withAuditNames(
  em: EntityManager,
  entries: readonly Omit<AuditEntryDto, 'actorName' | 'entityName'>[],
): Promise<AuditEntryDto[]> {
  const wanted = new Map<string, Set<number>>();
  const want = (type: string, id: number | null) => {
    if (id === null) return;
    let ids = wanted.get(type);
    if (!ids) wanted.set(type, (ids = new Set()));
    ids.add(id);
  };
  const side = (e: (typeof entries)[number]): Snapshot => e.after ?? e.before;
  for (const entry of entries) {
    want('member', entry.actorMemberId);
    const id = entry.entityId === null ? null : numeric(Number(entry.entityId));
    if (NAMED[entry.entityType]) want(entry.entityType, id);
    if (LINKS.has(entry.entityType)) {
      want('member', numeric(side(entry)?.['memberId']));
      want('machine', numeric(side(entry)?.['machineId']));
    }
  }

  const names = new Map<string, Map<number, string | null>>();
  await Promise.all(
    [...wanted].map(async ([type, ids]) => {
      const named = NAMED[type];
      if (!named) return;
      const rows = await em.find(named.target, {
        select: Object.fromEntries(named.select.map((column) => [column, true])),
        where: { id: In([...ids]) },
      });
      names.set(type, new Map(rows.map((row) => [Number(row['id']), named.name(row)])));
    }),
  );
  const nameOf = (type: string, id: number | null) =>
    id === null ? null : (names.get(type)?.get(id) ?? null);

  return entries.map((entry) => {
    const snapshot = side(entry);
    let entityName: string | null;
    if (LINKS.has(entry.entityType)) {
      const parts = [
        nameOf('member', numeric(snapshot?.['memberId'])),
        nameOf('machine', numeric(snapshot?.['machineId'])),
      ].filter((part) => part !== null);
      entityName = parts.length > 0 ? parts.join(' · ') : null;
    } else {
      const id = entry.entityId === null ? null : numeric(Number(entry.entityId));
      entityName = nameOf(entry.entityType, id) ?? snapshotName(entry.entityType, snapshot);
    }
    return { ...entry, actorName: nameOf('member', entry.actorMemberId), entityName };
  });
}
