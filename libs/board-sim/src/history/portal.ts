import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GeneratedLab } from './generate';

/** The lab's time zone: the app's default `LAB_TIME_ZONE`, which the benchmark leaves as it is. */
const LAB_TIME_ZONE = 'Europe/Rome';

/** The portal's CSRF rule: every non-GET request carries this header (libs/shared/contracts auth.ts). */
const CSRF_HEADER = 'x-requested-with';
const CSRF_HEADER_VALUE = 'fabomatic';
const SESSION_COOKIE = 'fabomatic_session';
/** The app allows 600 requests a minute per client: keep under it rather than measure 429s. */
const MIN_REQUEST_GAP_MS = 110;

class PortalError extends Error {}

/** A signed-in staff browser, reduced to what the benchmark needs: cookie, CSRF header, pacing. */
export class PortalSession {
  private cookie = '';
  private lastRequestAt = 0;

  constructor(readonly baseUrl: string) {}

  /** Signs in with the one-time password of `fabomatic admin create|reset-password` and replaces it. */
  async signIn(email: string, oneTimePassword: string): Promise<void> {
    const newPassword = `bench-${oneTimePassword}-history`;
    await this.pace();
    const login = await this.send('POST', '/api/auth/login', { email, password: oneTimePassword });
    if (login.status !== 200)
      throw new PortalError(`admin login failed: HTTP ${login.status} ${await login.text()}`);
    await login.body?.cancel();
    await this.pace();
    const changed = await this.send('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword,
    });
    if (changed.status !== 200) {
      throw new PortalError(`password change failed: HTTP ${changed.status} ${await changed.text()}`);
    }
    await changed.body?.cancel();
  }

  /** Waits until the next request keeps under the app's rate limit (outside any timing). */
  async pace(): Promise<void> {
    const wait = this.lastRequestAt + MIN_REQUEST_GAP_MS - performance.now();
    if (wait > 0) await sleep(wait);
  }

  /** Sends a request as the signed-in user; the response body is the caller's to read. */
  async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      this.lastRequestAt = performance.now();
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (method !== 'GET') headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
      if (this.cookie) headers['cookie'] = this.cookie;
      const response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const [name, value] = pair.split('=');
        if (name === SESSION_COOKIE) this.cookie = value ? `${SESSION_COOKIE}=${value}` : '';
      }
      if (response.status !== 429 || attempt >= 5) return response;
      await response.body?.cancel();
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 2));
    }
  }
}

/**
 * A page (GET, JSON), an export (GET, streamed) or a staff action (a write, e.g. DELETE): actions
 * change the kept lab, so they run only when `--pages` names them.
 */
export type PageKind = 'page' | 'export' | 'action';

/** One portal page's API call. */
export interface PageCall {
  readonly name: string;
  readonly path: string;
  readonly kind: PageKind;
  /** GET unless given (actions). */
  readonly method?: 'DELETE' | 'POST';
  /** The path, asked of the app just before the call (an action's target; outside the timing). */
  readonly resolve?: (session: PortalSession) => Promise<string>;
}

/** The result of loading one page (body read to its end). */
export interface PageLoad {
  /** HTTP status; 0 when the benchmark gave up waiting (`ms` is then the time it waited). */
  readonly status: number;
  readonly ms: number;
  readonly bytes: number;
  /** Lines of a CSV body minus its header; null for other bodies. */
  readonly rows: number | null;
  /** Parsed JSON body (a list's first page only; null for every other call). */
  readonly json: unknown;
}

/** Loads a page: times the request until its body has been read to the end (call `pace` first). */
export async function loadPage(
  session: PortalSession,
  call: PageCall,
  timeoutMs = 600_000,
): Promise<PageLoad> {
  const started = performance.now();
  const abort = AbortSignal.timeout(timeoutMs);
  try {
    return await readPage(session, call, started, abort);
  } catch (error) {
    if (!abort.aborted) throw error;
    // Given up: the app may still be busy with it (a blocked event loop is not interrupted).
    return { status: 0, ms: performance.now() - started, bytes: 0, rows: null, json: null };
  }
}

async function readPage(
  session: PortalSession,
  call: PageCall,
  started: number,
  signal: AbortSignal,
): Promise<PageLoad> {
  const response = await session.send(call.method ?? 'GET', call.path, undefined, signal);
  let bytes = 0;
  let newlines = 0;
  const chunks: Uint8Array[] = [];
  // Only a list's first page is parsed (for its deep page): parsing every answer held this process's
  // event loop, which also times the boards' replies, ~10 ms for the 1 MB ten-year weekly report.
  const keep = call.kind !== 'export' && call.name.endsWith('first page');
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (keep) {
        chunks.push(chunk);
        continue;
      }
      const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) newlines += 1;
    }
  }
  const ms = performance.now() - started;
  const type = response.headers.get('content-type') ?? '';
  let json: unknown = null;
  if (keep && type.includes('json')) {
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      json = null;
    }
  }
  const rows = !keep && type.includes('csv') ? Math.max(0, newlines - 1) : null;
  return { status: response.status, ms, bytes, rows, json };
}

const LISTS = [
  ['machines', '/api/machines'],
  ['machine types', '/api/machine-types'],
  ['members', '/api/members'],
  ['roles', '/api/roles'],
  ['authorizations', '/api/authorizations'],
  ['maintenance plans', '/api/maintenance-plans'],
  ['interventions', '/api/interventions'],
  ['usage sessions', '/api/usage'],
  ['access events', '/api/access-events'],
  ['unknown cards', '/api/unknown-cards'],
  ['audit', '/api/audit'],
  ['boards', '/api/boards'],
] as const;

/** The lists whose exports can be large (the others hold configuration). */
const HISTORY_LISTS = new Set(['interventions', 'usage sessions', 'access events', 'unknown cards', 'audit']);

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Every portal page's API call (from the controllers): dashboard, system page, every list's first
 * page, searches, every report with its default range and over the whole history, every export.
 * Deep pages are added by {@link deepPage} once a first page told how many rows there are.
 */
export function pageCatalogue(lab: GeneratedLab): PageCall[] {
  const tenYears = `from=${isoDay(lab.options.endAt - 10 * 365.25 * 86_400_000)}&to=${isoDay(lab.options.endAt + 86_400_000)}`;
  const member = lab.searchMember;
  const surnameStem = member.surname.replace(/\d+$/, '');
  const calls: PageCall[] = [
    { name: 'dashboard (machines/status)', path: '/api/machines/status', kind: 'page' },
    { name: 'machine status (one)', path: '/api/machines/1/status', kind: 'page' },
    { name: 'system', path: '/api/system', kind: 'page' },
  ];
  for (const [name, path] of LISTS) calls.push({ name: `${name}: first page`, path, kind: 'page' });
  calls.push(
    { name: 'members: search by card', path: `/api/members?q=${member.card}`, kind: 'page' },
    { name: 'members: search by name', path: `/api/members?q=${encodeURIComponent(member.surname)}`, kind: 'page' },
    { name: 'usage: search by name', path: `/api/usage?q=${encodeURIComponent(surnameStem)}`, kind: 'page' },
    { name: 'usage: one member', path: `/api/usage?memberId=${member.id}`, kind: 'page' },
    { name: 'usage: one machine', path: '/api/usage?machineId=1', kind: 'page' },
    { name: 'access events: search by card', path: `/api/access-events?cardUid=${member.card}`, kind: 'page' },
    { name: 'access events: unknown card', path: `/api/access-events?cardUid=${lab.unknownCard}`, kind: 'page' },
    { name: 'access events: search by name', path: `/api/access-events?q=${encodeURIComponent(surnameStem)}`, kind: 'page' },
    { name: 'access events: denied', path: '/api/access-events?granted=false', kind: 'page' },
    { name: 'unknown cards: search by card', path: `/api/unknown-cards?q=${lab.unknownCard.slice(0, 8)}`, kind: 'page' },
    { name: 'audit: one member', path: `/api/audit?entityType=member&entityId=${member.id}`, kind: 'page' },
  ); // prettier-ignore
  // The portal sends the browser's time zone: in the lab, the lab's (the app's default LAB_TIME_ZONE).
  const tz = `tz=${encodeURIComponent(LAB_TIME_ZONE)}`;
  for (const report of ['usage-by-week', 'sessions-by-member', 'busiest-hours']) {
    calls.push(
      { name: `report ${report} (default range)`, path: `/api/reports/${report}?${tz}`, kind: 'page' },
      { name: `report ${report} (10 years)`, path: `/api/reports/${report}?${tenYears}&${tz}`, kind: 'page' },
      { name: `report ${report} (10 years, machine 1)`, path: `/api/reports/${report}?${tenYears}&${tz}&machineId=1`, kind: 'page' },
    ); // prettier-ignore
  }
  calls.push({ name: 'report maintenance', path: '/api/reports/maintenance', kind: 'page' });
  for (const [name, path] of LISTS) {
    for (const format of ['csv', 'xlsx']) {
      calls.push({
        name: `export ${name} (all, ${format})${HISTORY_LISTS.has(name) ? '' : ' [config]'}`,
        path: `${path}/export?format=${format}`,
        kind: 'export',
      });
    }
  }
  // The newest machine left, with its ten years of sessions: what a staff member deleting one meets.
  calls.push({
    name: 'action: delete a machine with its history (the newest)',
    path: '/api/machines/:id?confirm=true',
    kind: 'action',
    method: 'DELETE',
    resolve: async (session) => {
      const id = await firstId(
        session,
        '/api/machines?sort=id&order=desc&pageSize=1',
        'no machine left to delete',
      );
      return `/api/machines/${id}?confirm=true`;
    },
  });
  // A member with ten years of taps, deleted (outside the timing), then erased: the GDPR erase.
  calls.push({
    name: 'action: erase a deleted member with their history (the last by name)',
    path: '/api/members/:id/erase',
    kind: 'action',
    method: 'POST',
    resolve: async (session) => {
      const path = '/api/members?sort=name&order=desc&pageSize=1&hasCard=true';
      const id = await firstId(session, path, 'no member left to erase');
      await session.pace();
      const deleted = await session.send('DELETE', `/api/members/${id}`);
      await deleted.body?.cancel();
      if (deleted.status !== 200) throw new PortalError(`member delete failed: HTTP ${deleted.status}`);
      return `/api/members/${id}/erase`;
    },
  });
  return calls;
}

/** The id of the first item of a list page (an action's target). */
async function firstId(session: PortalSession, path: string, none: string): Promise<number> {
  const response = await session.send('GET', path);
  const body = (await response.json()) as { items?: { id: number }[] };
  const id = body.items?.[0]?.id;
  if (response.status !== 200 || id === undefined) throw new PortalError(none);
  return id;
}

/**
 * The deep page of a list from its first page's answer: the middle page when the list still counts
 * its rows (`total`), else the cursor the answer offers (keyset paging: `next`, `nextCursor`, `after`).
 */
export function deepPage(first: PageCall, json: unknown): PageCall | null {
  if (!json || typeof json !== 'object') return null;
  const body = json as Record<string, unknown>;
  const separator = first.path.includes('?') ? '&' : '?';
  const name = first.name.replace('first page', 'deep page');
  if (typeof body['total'] === 'number' && typeof body['pageSize'] === 'number') {
    const pages = Math.ceil(body['total'] / body['pageSize']);
    if (pages < 3) return null;
    return { name: `${name} (page ${Math.ceil(pages / 2)})`, path: `${first.path}${separator}page=${Math.ceil(pages / 2)}`, kind: 'page' }; // prettier-ignore
  }
  for (const key of ['nextCursor', 'next', 'after', 'cursor']) {
    const cursor = body[key];
    if (typeof cursor === 'string' && cursor) {
      const param = key === 'nextCursor' || key === 'next' ? 'cursor' : key;
      return { name: `${name} (next cursor)`, path: `${first.path}${separator}${param}=${encodeURIComponent(cursor)}`, kind: 'page' }; // prettier-ignore
    }
  }
  return null;
}
