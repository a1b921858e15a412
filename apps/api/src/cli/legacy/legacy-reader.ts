import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The data of a legacy FabOMatic (Python) SQLite database, any schema revision in the field
 * (2dc275252e0e … f1a2b3c4d5e6): columns a revision lacks get the legacy default. Times are epoch
 * seconds as floats there; here epoch milliseconds.
 */
export interface LegacyData {
  readonly revision: string;
  readonly roles: {
    id: number;
    name: string;
    authorizeAll: boolean;
    reserved: boolean;
    maintenance: boolean;
    backendAdmin: boolean;
  }[];
  readonly users: {
    id: number;
    name: string;
    surname: string;
    roleId: number;
    card: string | null;
    disabled: boolean;
    deleted: boolean;
    passwordHash: string | null;
    email: string | null;
    weeklySummary: boolean;
  }[];
  readonly types: { id: number; name: string; timeoutMin: number; graceMin: number; open: boolean }[];
  readonly machines: {
    id: number;
    name: string;
    typeId: number | null;
    hours: number;
    blocked: boolean;
    lastSeen: number | null;
  }[];
  readonly authorizations: { userId: number; machineId: number }[];
  readonly plans: {
    id: number;
    machineId: number;
    hoursBetween: number;
    description: string;
    lcdMessage: string;
    instructionsUrl: string | null;
  }[];
  readonly interventions: {
    planId: number | null;
    machineId: number;
    userId: number | null;
    at: number;
    replay: boolean;
  }[];
  readonly uses: {
    userId: number;
    machineId: number;
    start: number;
    lastSeen: number;
    end: number | null;
    replay: boolean;
  }[];
  readonly unknownCards: { card: string; at: number; machineId: number | null }[];
  readonly boards: {
    machineId: number | null;
    ip: string | null;
    firmware: string | null;
    serial: string | null;
    heap: number | null;
    lastSeen: number | null;
  }[];
}

type Row = Record<string, unknown>;
const ms = (seconds: unknown): number | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
const bool = (value: unknown) => value === 1 || value === true || value === '1';
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * Reads a legacy database without touching it: the file is copied to a temporary folder and the
 * copy is opened read-only.
 */
export function readLegacyDatabase(file: string): LegacyData {
  const dir = mkdtempSync(join(tmpdir(), 'fabomatic-legacy-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      return readFrom(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readFrom(db: Database.Database): LegacyData {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    ),
  );
  for (const required of ['roles', 'users', 'machines', 'alembic_version']) {
    if (!tables.has(required)) throw new Error(`not a legacy FabOMatic database: no "${required}" table`);
  }
  const rows = (table: string): Row[] =>
    tables.has(table) ? (db.prepare(`SELECT * FROM "${table}"`).all() as Row[]) : [];
  const version = db.prepare('SELECT version_num FROM alembic_version').get() as
    { version_num?: string } | undefined;
  const revision = version?.version_num ?? 'unknown';

  return {
    revision,
    roles: rows('roles').map((r) => ({
      id: Number(r['role_id']),
      name: text(r['role_name']) ?? `Role ${String(r['role_id'])}`,
      authorizeAll: bool(r['authorize_all']),
      reserved: bool(r['reserved']),
      maintenance: bool(r['maintenance']),
      backendAdmin: bool(r['backend_admin']),
    })),
    users: rows('users').map((r) => ({
      id: Number(r['user_id']),
      name: text(r['name']) ?? '',
      surname: text(r['surname']) ?? '',
      roleId: Number(r['role_id']),
      card: text(r['card_UUID']),
      disabled: bool(r['disabled']),
      deleted: bool(r['deleted']),
      passwordHash: text(r['password_hash']),
      email: text(r['email']),
      weeklySummary: bool(r['receive_weekly_summary']),
    })),
    types: rows('machine_types').map((r) => ({
      id: Number(r['type_id']),
      name: text(r['type_name']) ?? `Type ${String(r['type_id'])}`,
      timeoutMin: num(r['type_timeout_min']) ?? 1440,
      graceMin: num(r['grace_period_min']) ?? 2,
      open: bool(r['access_management']),
    })),
    machines: rows('machines').map((r) => ({
      id: Number(r['machine_id']),
      name: text(r['machine_name']) ?? `Machine ${String(r['machine_id'])}`,
      typeId: num(r['machine_type_id']),
      hours: num(r['machine_hours']) ?? 0,
      blocked: bool(r['blocked']),
      lastSeen: ms(r['last_seen']),
    })),
    authorizations: rows('authorizations').map((r) => ({
      userId: Number(r['user_id']),
      machineId: Number(r['machine_id']),
    })),
    plans: rows('maintenances').map((r) => ({
      id: Number(r['maintenance_id']),
      machineId: Number(r['machine_id']),
      hoursBetween: num(r['hours_between']) ?? 0,
      description: text(r['description']) ?? '',
      lcdMessage: text(r['lcd_message']) ?? '',
      instructionsUrl: text(r['instructions_url']),
    })),
    interventions: rows('interventions').map((r) => ({
      planId: num(r['maintenance_id']),
      machineId: Number(r['machine_id']),
      userId: num(r['user_id']),
      at: ms(r['timestamp']) ?? 0,
      replay: bool(r['replay']),
    })),
    uses: rows('uses').map((r) => {
      const start = ms(r['start_timestamp']) ?? 0;
      return {
        userId: Number(r['user_id']),
        machineId: Number(r['machine_id']),
        start,
        lastSeen: ms(r['last_seen']) ?? start,
        end: ms(r['end_timestamp']),
        replay: bool(r['replay']),
      };
    }),
    unknownCards: rows('unknown_cards').map((r) => ({
      card: text(r['card_UUID']) ?? '',
      at: ms(r['timestamp']) ?? 0,
      machineId: num(r['machine_id']),
    })),
    boards: rows('boards').map((r) => ({
      machineId: num(r['machine_id']),
      ip: text(r['ip_address']),
      firmware: text(r['fw_version']),
      serial: text(r['serial']),
      heap:
        num(r['heap']) ??
        (typeof r['heap'] === 'string' && /^\d+$/.test(r['heap']) ? Number(r['heap']) : null),
      lastSeen: ms(r['last_seen']),
    })),
  };
}
