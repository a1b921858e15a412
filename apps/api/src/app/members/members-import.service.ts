import { HttpStatus, Injectable } from '@nestjs/common';
import {
  MAX_MEMBER_IMPORT_PROBLEMS,
  MEMBER_IMPORT_COLUMNS,
  type MemberImportColumn,
  type MemberImportProblem,
  type MemberImportProblemCode,
  type MemberImportResult,
} from '@fabomatic/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type EntityManager, In } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, conflict } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import type { SessionUser } from '../auth/session-user';
import { Role } from '../roles/role.entity';
import { type MemberImportQueryDto, MemberInputDto } from './member.dto';
import { Member } from './member.entity';
import { type MemberCsvRow, type MembersCsv, readMembersCsv } from './member-import-csv';
import { newMember, PRIVILEGED } from './members.service';
import { isUniqueViolation } from './unique-violation';

/** How values of a yes/no column are written (any case); an empty cell is no. */
const YES = new Set(['true', 'yes', 'sì', 'si', '1']);
const NO = new Set(['false', 'no', '0']);
/** Values compared with the database at a time (SQL parameter limits). */
const CHUNK = 500;
/** Members inserted by one statement (SQLite allows 32766 parameters, 11 a member). */
const INSERT_CHUNK = 500;
/** Longest value quoted back in a problem. */
const MAX_VALUE = 100;

/** A row read and checked on its own (what needs no database), not yet against roles and members. */
interface ReadRow {
  readonly row: number;
  /** The member it describes; `roleId` is set once the role is found. */
  readonly input: MemberInputDto;
  readonly roleName: string;
  readonly problems: readonly MemberImportProblem[];
}

interface Checked {
  readonly problems: MemberImportProblem[];
  readonly members: readonly MemberInputDto[];
}

/**
 * The members CSV import: every row checked with the rules of the member form, then all created in
 * one transaction (each audited as a creation), or none when any row has a problem.
 */
@Injectable()
export class MembersImportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
  ) {}

  async import(actor: SessionUser, body: unknown, query: MemberImportQueryDto): Promise<MemberImportResult> {
    if (!Buffer.isBuffer(body)) {
      throw new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'CSV_INVALID', 'send the file as text/csv');
    }
    const csv = readMembersCsv(body);
    // The checks that need no database run before the transaction: SQLite has one writer.
    const rows = readRows(csv);
    if (query.dryRun) {
      const checked = await check(this.reads.manager, actor, csv, rows, query.defaultRole);
      return result(true, csv, checked.problems, 0);
    }
    try {
      return await this.uow.run(async (em, events) => {
        const checked = await check(em, actor, csv, rows, query.defaultRole);
        if (checked.problems.length > 0) return result(false, csv, checked.problems, 0);
        // Inserted a chunk at a time (one statement each), then audited one by one as the form does.
        const members = checked.members.map((input) => newMember(em, input));
        for (let i = 0; i < members.length; i += INSERT_CHUNK) {
          await em.insert(Member, members.slice(i, i + INSERT_CHUNK));
        }
        for (const member of members) {
          await this.audit.record(em, actor, 'create', 'member', member.id, null, member);
        }
        events.publish('member-changed', { memberId: null });
        return result(false, csv, [], members.length);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict('MEMBER_EMAIL_OR_CARD_TAKEN', 'another member has one of these emails or cards');
      }
      throw error;
    }
  }
}

/** Checks every row on its own and against the others (duplicates within the file). */
function readRows(csv: MembersCsv): ReadRow[] {
  const emails = new Map<string, number>();
  const cards = new Map<string, number>();
  return csv.rows.map((row) => {
    const problems: MemberImportProblem[] = [];
    const add = (column: MemberImportColumn | null, code: MemberImportProblemCode, extra = {}) =>
      problems.push({ row: row.row, column, code, ...extra });
    const input = readRow(row, csv, add);
    // Duplicates within the file, of values that are valid on their own.
    if (input.email && !problems.some((p) => p.column === 'email')) {
      const first = emails.get(input.email);
      if (first === undefined) emails.set(input.email, row.row);
      else add('email', 'DUPLICATE_EMAIL', { value: clip(input.email), otherRow: first });
    }
    if (input.cardUid && !problems.some((p) => p.column === 'card')) {
      const first = cards.get(input.cardUid);
      if (first === undefined) cards.set(input.cardUid, row.row);
      else add('card', 'DUPLICATE_CARD', { value: input.cardUid, otherRow: first });
    }
    return { row: row.row, input, roleName: row.values.role?.trim() ?? '', problems };
  });
}

/**
 * Checks the rows against the database: their roles (which the actor must be allowed to give) and
 * the emails and cards members already have. Answers every problem, or the members to create.
 */
async function check(
  em: EntityManager,
  actor: SessionUser,
  csv: MembersCsv,
  rows: readonly ReadRow[],
  defaultRoleName: string | undefined,
): Promise<Checked> {
  const findRole = roleFinder(await em.find(Role));
  const mayGive = (role: Role) => actor.access === 'admin' || !PRIVILEGED.has(role.portalAccess);
  let defaultRole: Role | null = null;
  if (defaultRoleName !== undefined) {
    defaultRole = findRole(defaultRoleName);
    if (!defaultRole) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'no role has this name', {
        defaultRole: ['no role has this name'],
      });
    }
    if (!mayGive(defaultRole)) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'FORBIDDEN',
        'only an admin may give a role with manager or admin access',
      );
    }
  }

  const problems: MemberImportProblem[] = [...csv.headerProblems];
  if (!csv.columns.has('name')) problems.push({ row: 1, column: 'name', code: 'MISSING_COLUMN' });
  if (!csv.columns.has('role') && !defaultRole) {
    problems.push({ row: 1, column: 'role', code: 'MISSING_COLUMN' });
  }
  const members: MemberInputDto[] = [];
  for (const { row, input, roleName, problems: own } of rows) {
    problems.push(...own);
    let role = defaultRole;
    if (roleName) {
      role = findRole(roleName);
      const value = clip(roleName);
      if (!role) problems.push({ row, column: 'role', code: 'UNKNOWN_ROLE', value });
      else if (!mayGive(role)) problems.push({ row, column: 'role', code: 'ROLE_NOT_ALLOWED', value });
    } else if (!defaultRole && csv.columns.has('role')) {
      // (Without a role column, the header alone reports it.)
      problems.push({ row, column: 'role', code: 'REQUIRED' });
    }
    if (role) members.push(Object.assign(input, { roleId: role.id }));
  }

  // Against the members already there: deleted ones keep their email (not their card).
  const emailsOf = rows.filter((r) => r.input.email && !r.problems.some((p) => p.column === 'email'));
  const cardsOf = rows.filter((r) => r.input.cardUid && !r.problems.some((p) => p.column === 'card'));
  const takenEmails = await existing(
    em,
    'email',
    emailsOf.map((r) => r.input.email ?? ''),
  );
  const takenCards = await existing(
    em,
    'cardUid',
    cardsOf.map((r) => r.input.cardUid ?? ''),
  );
  for (const { row, input } of emailsOf) {
    const other = takenEmails.get(input.email ?? '');
    if (!other) continue;
    const code = other.deletedAt ? 'EMAIL_OF_DELETED_MEMBER' : 'EMAIL_TAKEN';
    problems.push({ row, column: 'email', code, value: clip(input.email ?? '') });
  }
  for (const { row, input } of cardsOf) {
    if (takenCards.has(input.cardUid ?? '')) {
      problems.push({ row, column: 'card', code: 'CARD_TAKEN', value: input.cardUid ?? '' });
    }
  }
  // By row, the header first; within a row, by column as the documentation lists them.
  problems.sort((a, b) => a.row - b.row || columnRank(a.column) - columnRank(b.column));
  return { problems, members: problems.length === 0 ? members : [] };
}

/**
 * Reads one row with the member form's rules (the same DTO and validators), all but the role:
 * answers the member it describes, reporting what is wrong through `add`.
 */
function readRow(
  row: MemberCsvRow,
  csv: MembersCsv,
  add: (column: MemberImportColumn | null, code: MemberImportProblemCode, extra?: object) => void,
): MemberInputDto {
  const value = (column: MemberImportColumn) => row.values[column]?.trim() ?? '';
  if (row.tooManyValues) add(null, 'TOO_MANY_VALUES');

  const yesNo = (column: 'disabled' | 'weekly summary'): boolean | undefined => {
    const raw = value(column);
    const word = raw.toLowerCase();
    if (word === '' || NO.has(word)) return false;
    if (YES.has(word)) return true;
    add(column, 'INVALID_YES_NO', { value: clip(raw) });
    return undefined;
  };

  const input = plainToInstance(MemberInputDto, {
    name: row.values.name ?? '',
    surname: row.values.surname ?? '',
    email: value('email') || null,
    cardUid: value('card') || null,
    // Found later, among the roles; a valid id stands in until then.
    roleId: 1,
    disabled: yesNo('disabled'),
    receiveWeeklySummary: yesNo('weekly summary'),
    language: value('language').toLowerCase() || undefined,
  });
  for (const error of validateSync(input)) {
    const failed = new Set(Object.keys(error.constraints ?? {}));
    switch (error.property as keyof MemberInputDto) {
      case 'name':
        // A missing column is reported once, on the header.
        if (csv.columns.has('name')) {
          add(
            'name',
            value('name') ? 'TOO_LONG' : 'REQUIRED',
            value('name') ? { value: clip(value('name')) } : {},
          );
        }
        break;
      case 'surname':
        add('surname', 'TOO_LONG', { value: clip(value('surname')) });
        break;
      case 'email':
        add('email', failed.has('isEmail') ? 'INVALID_EMAIL' : 'TOO_LONG', { value: clip(value('email')) });
        break;
      case 'cardUid':
        add('card', 'INVALID_CARD', { value: clip(value('card')) });
        break;
      case 'language':
        add('language', 'INVALID_LANGUAGE', { value: clip(value('language')) });
        break;
      case 'roleId':
      case 'disabled':
      case 'receiveWeeklySummary':
        // Set above from checked values.
        break;
    }
  }
  return input;
}

/** A role by name: as written, else in any case when only one role matches so. */
function roleFinder(roles: readonly Role[]): (name: string) => Role | null {
  const exact = new Map(roles.map((role) => [role.name, role]));
  const folded = new Map<string, Role | null>();
  for (const role of roles) {
    const key = role.name.toLowerCase();
    folded.set(key, folded.has(key) ? null : role);
  }
  return (name) => exact.get(name) ?? folded.get(name.toLowerCase()) ?? null;
}

/** The members that already have one of these emails or cards, by that value. */
async function existing(
  em: EntityManager,
  field: 'email' | 'cardUid',
  values: readonly string[],
): Promise<Map<string, Member>> {
  const found = new Map<string, Member>();
  for (let i = 0; i < values.length; i += CHUNK) {
    const members = await em.find(Member, {
      select: { id: true, email: true, cardUid: true, deletedAt: true },
      where: { [field]: In(values.slice(i, i + CHUNK)) },
    });
    for (const member of members) {
      const key = member[field];
      if (key) found.set(key, member);
    }
  }
  return found;
}

function result(
  dryRun: boolean,
  csv: MembersCsv,
  problems: readonly MemberImportProblem[],
  created: number,
): MemberImportResult {
  return {
    dryRun,
    rows: csv.rows.length,
    created,
    problems: problems.slice(0, MAX_MEMBER_IMPORT_PROBLEMS),
    problemsNotListed: Math.max(0, problems.length - MAX_MEMBER_IMPORT_PROBLEMS),
  };
}

/** The row itself first, then the columns in their documented order, then unknown headers. */
function columnRank(column: string | null): number {
  if (column === null) return -1;
  const rank = (MEMBER_IMPORT_COLUMNS as readonly string[]).indexOf(column);
  return rank === -1 ? MEMBER_IMPORT_COLUMNS.length : rank;
}

function clip(value: string): string {
  return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
}
