/**
 * A grown lab's history, generated deterministically (seeded PRNG) straight into the tables the
 * app's migrations created: configuration (roles, machine types, machines, members with cards,
 * authorizations, maintenance plans, boards) and years of history (usage sessions, access events for
 * granted, unauthorized and unknown-card taps, interventions, audit entries). Rows are written
 * through a {@link RowSink} (SQLite or PostgreSQL, see sinks.ts), one day at a time, ids ascending
 * with time as the app would have written them.
 */

/** mulberry32: small, fast and good enough to shape test data; the same seed gives the same lab. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  readonly years: number;
  readonly machines: number;
  /** Default: 10 per machine, at least 100 and at most 2,000. */
  readonly members?: number;
  /** Mean usage sessions per machine per day (default 12). */
  readonly sessionsPerDay?: number;
  readonly seed?: number;
  /** End of the history, epoch ms (default: today 00:00 UTC, so reruns on one day give one lab). */
  readonly endAt?: number;
}

/** Column kinds, for SQLite value conversion and PostgreSQL array casts. */
export type ColumnKind = 'int' | 'bigint' | 'text' | 'bool' | 'float';

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly (readonly [string, ColumnKind])[];
}

export type Row = readonly (string | number | boolean | null)[];

/** Where generated rows go, in batches of one generated day per table. */
export interface RowSink {
  insert(table: TableSpec, rows: readonly Row[]): Promise<void>;
  /** Sets the hour meters (`machines.usageSeconds`) once the history is written. */
  setUsageSeconds(rows: readonly (readonly [id: number, seconds: number])[]): Promise<void>;
}

const TABLES = {
  roles: {
    name: 'roles',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['authorizeAll', 'bool'],
      ['maintenance', 'bool'],
      ['portalAccess', 'text'],
    ],
  },
  machineTypes: {
    name: 'machine_types',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['autoLogoffMinutes', 'int'],
      ['graceMinutes', 'int'],
      ['accessManagement', 'text'],
    ],
  },
  machines: {
    name: 'machines',
    columns: [
      ['id', 'int'],
      ['topicId', 'text'],
      ['name', 'text'],
      ['typeId', 'int'],
      ['blocked', 'bool'],
      ['usageSeconds', 'bigint'],
      ['lastSeenAt', 'bigint'],
    ],
  },
  members: {
    name: 'members',
    columns: [
      ['id', 'int'],
      ['name', 'text'],
      ['surname', 'text'],
      ['email', 'text'],
      ['cardUid', 'text'],
      ['roleId', 'int'],
      ['disabled', 'bool'],
    ],
  },
  authorizations: {
    name: 'authorizations',
    columns: [
      ['id', 'int'],
      ['memberId', 'int'],
      ['machineId', 'int'],
    ],
  },
  boards: {
    name: 'boards',
    columns: [
      ['id', 'int'],
      ['serial', 'text'],
      ['topicId', 'text'],
      ['machineId', 'int'],
      ['ipAddress', 'text'],
      ['firmwareVersion', 'text'],
      ['freeHeap', 'int'],
      ['lastSeenAt', 'bigint'],
    ],
  },
  plans: {
    name: 'maintenance_plans',
    columns: [
      ['id', 'int'],
      ['machineId', 'int'],
      ['hoursBetween', 'float'],
      ['description', 'text'],
      ['lcdMessage', 'text'],
    ],
  },
  interventions: {
    name: 'interventions',
    columns: [
      ['id', 'int'],
      ['planId', 'int'],
      ['machineId', 'int'],
      ['memberId', 'int'],
      ['performedAt', 'bigint'],
      ['replay', 'bool'],
      ['source', 'text'],
    ],
  },
  sessions: {
    name: 'usage_sessions',
    columns: [
      ['id', 'int'],
      ['memberId', 'int'],
      ['machineId', 'int'],
      ['startedAt', 'bigint'],
      ['lastSeenAt', 'bigint'],
      ['endedAt', 'bigint'],
      ['endReason', 'text'],
      ['replay', 'bool'],
    ],
  },
  events: {
    name: 'access_events',
    columns: [
      ['id', 'int'],
      ['occurredAt', 'bigint'],
      ['topicId', 'text'],
      ['machineId', 'int'],
      ['cardUid', 'text'],
      ['memberId', 'int'],
      ['action', 'text'],
      ['reason', 'text'],
      ['granted', 'bool'],
      ['level', 'int'],
      ['replay', 'bool'],
    ],
  },
  audit: {
    name: 'audit_log',
    columns: [
      ['id', 'int'],
      ['occurredAt', 'bigint'],
      ['actorMemberId', 'int'],
      ['actorLabel', 'text'],
      ['action', 'text'],
      ['entityType', 'text'],
      ['entityId', 'text'],
      ['before', 'text'],
      ['after', 'text'],
    ],
  },
} as const satisfies Record<string, TableSpec>;

/** The history tables: their secondary indexes are dropped during the load and rebuilt after it. */
export const HISTORY_TABLES = ['usage_sessions', 'access_events', 'interventions', 'audit_log'] as const;

/** Bumped whenever the generated data changes, so `--keep` never reuses a database of another shape. */
export const GENERATOR_VERSION = 2;

/** What the benchmark needs to know about the generated lab. */
export interface GeneratedLab {
  readonly options: Required<Omit<HistoryOptions, 'endAt'>> & { readonly endAt: number };
  readonly startAt: number;
  readonly counts: Readonly<Record<string, number>>;
  /** Per machine (topic id order): a card authorized on it, one that is not, for the taps. */
  readonly taps: readonly {
    readonly topicId: string;
    readonly authorized: string;
    readonly unauthorized: string;
  }[];
  /** A card that no member holds, seen in history (unknown-card taps). */
  readonly unknownCard: string;
  /** A member with many sessions: their card, surname and id, for searches. */
  readonly searchMember: { readonly id: number; readonly card: string; readonly surname: string };
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const OPEN_MINUTE = 8 * 60;
const CLOSE_MINUTE = 22 * 60;

const FIRST_NAMES = [
  'Anna', 'Marco', 'Giulia', 'Luca', 'Sara', 'Paolo', 'Elena', 'Davide', 'Chiara', 'Matteo',
  'Laura', 'Simone', 'Marta', 'Andrea', 'Francesca', 'Stefano', 'Alice', 'Giorgio', 'Valentina', 'Pietro',
]; // prettier-ignore
const SURNAMES = [
  'Rossi', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti',
  'DeLuca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro',
  'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile', 'Martinelli',
]; // prettier-ignore
const MACHINE_TYPES: readonly (readonly [string, number])[] = [
  ['3D printer', 1440],
  ['Laser cutter', 120],
  ['CNC mill', 240],
  ['Vinyl cutter', 60],
  ['Soldering station', 180],
  ['Embroidery machine', 240],
];

/** Card uid of member `i` (1-based): a bijection of the index, so unique, 8 lower-case hex chars. */
const memberCard = (i: number): string =>
  ((Math.imul(i, 0x9e3779b1) ^ 0x5a5a5a5a) >>> 0).toString(16).padStart(8, '0');
/** Cards no member holds: 7-byte uids (14 hex chars), where every member card has 4 bytes. */
const unknownCardOf = (i: number): string => `04${i.toString(16).padStart(12, '0')}`;

/** Poisson-distributed count with mean `mean` (Knuth; means here are small). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/**
 * Generates the lab into `sink`. `onProgress` is called once per generated month with the share done.
 */
export async function generateHistory(
  sink: RowSink,
  options: HistoryOptions,
  onProgress?: (done: number, counts: Readonly<Record<string, number>>) => void,
): Promise<GeneratedLab> {
  const endAt = options.endAt ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const resolved = {
    years: options.years,
    machines: options.machines,
    members: options.members ?? Math.min(2000, Math.max(100, options.machines * 10)),
    sessionsPerDay: options.sessionsPerDay ?? 12,
    seed: options.seed ?? 1,
    endAt,
  };
  const random = seededRandom(resolved.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const days = Math.max(1, Math.round(resolved.years * 365));
  const startAt = endAt - days * DAY_MS;
  const counts: Record<string, number> = {};
  const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n);
  const write = async (table: TableSpec, rows: Row[]) => {
    if (rows.length === 0) return;
    count(table.name, rows.length);
    await sink.insert(table, rows);
  };

  // Configuration. Role ids: 1 members, 2 staff (maintainers, portal managers), 3 admins.
  await write(TABLES.roles, [
    [1, 'Members', false, false, 'none'],
    [2, 'Staff', false, true, 'manager'],
    [3, 'Admins', true, true, 'admin'],
  ]);
  await write(
    TABLES.machineTypes,
    MACHINE_TYPES.map(([name, logoff], i) => [i + 1, name, logoff, 2, 'authorization']),
  );
  const typeOf = (m: number) => ((m - 1) % MACHINE_TYPES.length) + 1;
  const staffCount = Math.max(3, Math.round(resolved.members / 100));
  const members: Row[] = [];
  const disabled = new Set<number>();
  for (let i = 1; i <= resolved.members; i += 1) {
    const isDisabled = i > staffCount && random() < 0.03;
    if (isDisabled) disabled.add(i);
    members.push([
      i,
      FIRST_NAMES[i % FIRST_NAMES.length] ?? 'Member',
      `${SURNAMES[Math.floor(i / FIRST_NAMES.length) % SURNAMES.length] ?? 'Lab'}${i}`,
      `member${i}@lab.example.org`,
      memberCard(i),
      i <= staffCount ? 2 : 1,
      isDisabled,
    ]);
  }
  await write(TABLES.members, members);

  // Machines (hour meters set after the history) and their boards, every board seen just now.
  const seenAt = endAt - MINUTE_MS;
  await write(
    TABLES.machines,
    Array.from({ length: resolved.machines }, (_, i) => [
      i + 1,
      String(i + 1),
      `Machine ${i + 1}`,
      typeOf(i + 1),
      false,
      0,
      seenAt,
    ]),
  );
  await write(
    TABLES.boards,
    Array.from({ length: resolved.machines }, (_, i) => [
      i + 1,
      `a0b1c2${(i + 1).toString(16).padStart(6, '0')}`,
      String(i + 1),
      i + 1,
      `10.0.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`,
      'v1.9.0',
      120_000,
      seenAt,
    ]),
  );

  // Each member is authorized on a few machines; every machine gets at least a handful of members.
  const authorizedOn: number[][] = Array.from({ length: resolved.machines + 1 }, () => []);
  const authorizationRows: Row[] = [];
  const pairs = new Set<number>();
  const authorize = (member: number, machine: number) => {
    const key = member * 1_000_003 + machine;
    if (pairs.has(key)) return;
    pairs.add(key);
    authorizationRows.push([authorizationRows.length + 1, member, machine]);
    if (!disabled.has(member)) authorizedOn[machine]?.push(member);
  };
  for (let member = 1; member <= resolved.members; member += 1) {
    const k = 1 + Math.floor(random() * Math.min(8, resolved.machines));
    for (let j = 0; j < k; j += 1) authorize(member, 1 + Math.floor(random() * resolved.machines));
  }
  for (let machine = 1; machine <= resolved.machines; machine += 1) {
    while ((authorizedOn[machine]?.length ?? 0) < 5) {
      authorize(staffCount + 1 + Math.floor(random() * (resolved.members - staffCount)), machine);
      if (pairs.size > resolved.members * resolved.machines - 1) break;
    }
  }
  await write(TABLES.authorizations, authorizationRows);

  // Per machine: a frequent check and a longer service, recorded on the board when done; every
  // other machine also has a yearly inspection nobody ever recorded (its hours count from the
  // beginning of the history, as in labs that track some plans on paper or imported no interventions).
  const planRows: Row[] = [];
  const plans: { id: number; machine: number; hours: number }[] = [];
  for (let machine = 1; machine <= resolved.machines; machine += 1) {
    for (const [hours, text] of [
      [20 + Math.floor(random() * 30), 'Clean and check'],
      [150 + Math.floor(random() * 200), 'Full service'],
    ] as const) {
      const id = planRows.length + 1;
      planRows.push([id, machine, hours, `${text} (machine ${machine})`, text.slice(0, 16)]);
      plans.push({ id, machine, hours });
    }
    if (machine % 2 === 1) {
      planRows.push([
        planRows.length + 1,
        machine,
        1000,
        `Yearly inspection (machine ${machine})`,
        'Inspection',
      ]);
    }
  }
  await write(TABLES.plans, planRows);

  // History, one day at a time.
  const usageSeconds = new Float64Array(resolved.machines + 1);
  const sincePlan = new Float64Array(planRows.length + 1);
  const plansOf: { id: number; hours: number }[][] = Array.from({ length: resolved.machines + 1 }, () => []);
  for (const plan of plans) plansOf[plan.machine]?.push(plan);
  const machineFactor = Array.from({ length: resolved.machines + 1 }, () => 0.5 + random());
  const sessionsOf = new Float64Array(resolved.members + 1);
  const unknownPool: string[] = [];
  let unknownSerial = 0;
  let sessionId = 0;
  let eventId = 0;
  let interventionId = 0;
  let auditId = 0;
  let lastProgressMonth = -1;

  for (let day = 0; day < days; day += 1) {
    const dayStart = startAt + day * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const dayFactor = weekday === 0 ? 0.4 : weekday === 6 ? 0.8 : 1.16;
    const sessions: (readonly [number, number, number, number])[] = []; // start, end, machine, member
    const taps: (readonly [number, number, string, number | null, string])[] = []; // at, machine, card, member, kind
    const maintenance: (readonly [number, number, number, number])[] = []; // at, machine, plan, member

    for (let machine = 1; machine <= resolved.machines; machine += 1) {
      const allowed = authorizedOn[machine] ?? [];
      const planned = poisson(random, resolved.sessionsPerDay * dayFactor * (machineFactor[machine] ?? 1));
      let minute = OPEN_MINUTE + random() * 30;
      for (let s = 0; s < planned && minute < CLOSE_MINUTE; s += 1) {
        const length = 5 + random() * 70;
        const start = dayStart + Math.round(minute * MINUTE_MS + random() * MINUTE_MS);
        const end = start + Math.round(length * MINUTE_MS);
        const member = pick(allowed);
        sessions.push([start, end, machine, member]);
        sessionsOf[member] = (sessionsOf[member] ?? 0) + 1;
        const seconds = (end - start) / 1000;
        usageSeconds[machine] = (usageSeconds[machine] ?? 0) + seconds;
        for (const plan of plansOf[machine] ?? []) {
          sincePlan[plan.id] = (sincePlan[plan.id] ?? 0) + seconds;
          // Staff do not always service on time: due plans wait a while, some very long.
          if ((sincePlan[plan.id] ?? 0) > plan.hours * 3600 * (1 + random() * 0.3)) {
            sincePlan[plan.id] = 0;
            maintenance.push([end + MINUTE_MS, machine, plan.id, 1 + Math.floor(random() * staffCount)]);
          }
        }
        minute += length + 2 + random() * 20;
      }
      // Denied taps: members without authorization here, and cards nobody registered.
      for (let t = poisson(random, dayFactor); t > 0; t -= 1) {
        const member = 1 + Math.floor(random() * resolved.members);
        const at = dayStart + Math.round((OPEN_MINUTE + random() * (CLOSE_MINUTE - OPEN_MINUTE)) * MINUTE_MS);
        if (!pairs.has(member * 1_000_003 + machine))
          taps.push([at, machine, memberCard(member), member, 'no']);
      }
      for (let t = poisson(random, 0.5 * dayFactor); t > 0; t -= 1) {
        let card: string;
        if (unknownPool.length === 0 || random() < 0.3) {
          unknownSerial += 1;
          card = unknownCardOf(unknownSerial);
          unknownPool.push(card);
          if (unknownPool.length > 500) unknownPool.shift();
        } else card = pick(unknownPool);
        const at = dayStart + Math.round((OPEN_MINUTE + random() * (CLOSE_MINUTE - OPEN_MINUTE)) * MINUTE_MS);
        taps.push([at, machine, card, null, 'unknown']);
      }
    }

    sessions.sort((a, b) => a[0] - b[0]);
    const sessionRows: Row[] = [];
    type Timed = readonly [number, Row];
    const events: Timed[] = [];
    for (const [start, end, machine, member] of sessions) {
      sessionId += 1;
      sessionRows.push([sessionId, member, machine, start, end, end, 'stopuse', false]);
      events.push([start - 1500, [0, start - 1500, String(machine), machine, memberCard(member), member, 'checkuser', 'granted', true, 2, false]]); // prettier-ignore
    }
    for (const [at, machine, card, member, kind] of taps) {
      events.push(
        kind === 'no'
          ? [
              at,
              [
                0,
                at,
                String(machine),
                machine,
                card,
                member,
                'checkuser',
                'no-authorization',
                false,
                null,
                false,
              ],
            ]
          : [
              at,
              [0, at, String(machine), machine, card, null, 'checkuser', 'unknown-card', false, null, false],
            ],
      );
    }
    const interventionRows: Row[] = [];
    maintenance.sort((a, b) => a[0] - b[0]);
    for (const [at, machine, plan, member] of maintenance) {
      interventionId += 1;
      interventionRows.push([interventionId, plan, machine, member, at, false, 'board']);
      events.push([at, [0, at, String(machine), machine, memberCard(member), member, 'maintenance', 'maintenance-recorded', true, 3, false]]); // prettier-ignore
    }
    events.sort((a, b) => a[0] - b[0]);
    const eventRows = events.map(([, row]) => {
      eventId += 1;
      const copy = [...row];
      copy[0] = eventId;
      return copy;
    });

    // Staff edit members and authorizations a few times a day.
    const audits: Row[] = [];
    for (let a = poisson(random, 4 * dayFactor); a > 0; a -= 1) {
      const actor = 1 + Math.floor(random() * staffCount);
      const target = 1 + Math.floor(random() * resolved.members);
      const action = pick(['create', 'update', 'update', 'update', 'delete']);
      const entityType = pick(['member', 'authorization', 'machine', 'maintenance-plan']);
      const at = dayStart + Math.round((OPEN_MINUTE + random() * 600) * MINUTE_MS);
      audits.push([
        at,
        actor,
        `member${actor}@lab.example.org`,
        action,
        entityType,
        String(target),
        action === 'create' ? null : JSON.stringify({ id: target, disabled: false, note: 'before' }),
        action === 'delete' ? null : JSON.stringify({ id: target, disabled: random() < 0.1, note: 'after' }),
      ]);
    }
    audits.sort((a, b) => Number(a[0]) - Number(b[0]));
    const auditRows = audits.map((row): Row => [++auditId, ...row]);

    await write(TABLES.sessions, sessionRows);
    await write(TABLES.events, eventRows);
    await write(TABLES.interventions, interventionRows);
    await write(TABLES.audit, auditRows);
    const month = Math.floor(day / 30);
    if (onProgress && month !== lastProgressMonth) {
      lastProgressMonth = month;
      onProgress((day + 1) / days, counts);
    }
  }

  await sink.setUsageSeconds(
    Array.from(
      { length: resolved.machines },
      (_, i) => [i + 1, Math.round(usageSeconds[i + 1] ?? 0)] as const,
    ),
  );

  const notAuthorized = (machine: number): string => {
    for (let member = staffCount + 1; member <= resolved.members; member += 1) {
      if (!pairs.has(member * 1_000_003 + machine) && !disabled.has(member)) return memberCard(member);
    }
    return unknownCardOf(1);
  };
  let busiest = staffCount + 1;
  for (let member = 1; member <= resolved.members; member += 1) {
    if ((sessionsOf[member] ?? 0) > (sessionsOf[busiest] ?? 0)) busiest = member;
  }
  const busiestRow = members[busiest - 1] ?? [];
  return {
    options: resolved,
    startAt,
    counts,
    taps: Array.from({ length: resolved.machines }, (_, i) => ({
      topicId: String(i + 1),
      authorized: memberCard(authorizedOn[i + 1]?.[0] ?? 1),
      unauthorized: notAuthorized(i + 1),
    })),
    unknownCard: unknownCardOf(1),
    searchMember: { id: busiest, card: memberCard(busiest), surname: String(busiestRow[2] ?? '') },
  };
}
