import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { SESSION_COOKIE, hasAccess, type PortalAccess } from '@fabomatic/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiClient } from '../../testing/api-client';
import { csvRows } from '../../testing/exports';
import { LAB_SEED } from '../../testing/lab-seed';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { AuditEntry } from '../audit/audit-entry.entity';
import { Member } from '../members/member.entity';
import { PUBLIC_ROUTE, REQUIRED_ACCESS } from './auth.decorators';
import { PortalSession } from './portal-session.entity';
import { hashPassword } from './password-hashing';

const ADMIN_PASSWORD = 'first-Boot-pass-42';
const STRONG = 'Tessera-Verde-2026';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly public: boolean;
  readonly access: PortalAccess | undefined;
}

/** Every HTTP route the app serves, with the access it declares (read from the controllers). */
function routesOf(lab: TestApp): Route[] {
  const modules = lab.running.app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = lab.running.app.get(Reflector);
  const routes: Route[] = [];
  const controllers = [...modules.values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined) ?? '';
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const targets = [handler as () => void, wrapper.metatype];
      const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`;
      routes.push({
        method: RequestMethod[method],
        path: ['/health', '/ready', '/metrics'].includes(full) ? full : `/api${full}`,
        public: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        access: reflector.getAllAndOverride<PortalAccess>(REQUIRED_ACCESS, targets),
      });
    }
  }
  return routes;
}

/** A session opened for `email` straight in the database (what a sign-in strategy ends in). */
async function sessionFor(lab: TestApp, email: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const member = await lab.dataSource.getRepository(Member).findOneByOrFail({ email });
  const now = lab.clock.now();
  await lab.dataSource.getRepository(PortalSession).insert({
    tokenHash: createHash('sha256').update(token).digest('hex'),
    memberId: member.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
  });
  return token;
}

const concrete = (path: string) => path.replace(/:[a-zA-Z]+/g, '1');

describe('API security', () => {
  let lab: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      seed: LAB_SEED,
      // One sign-in more than the default allows a minute (three levels sign in); 12 still hit it.
      env: { ADMIN_EMAIL: 'boss@example.org', ADMIN_PASSWORD, AUTH_RATE_LIMIT: '11' },
    });
    admin = new ApiClient(lab.running.httpUrl);
  });
  afterAll(() => lab?.stop());

  it('creates a bootstrap admin who must change the password before anything else (audited)', async () => {
    expect((await admin.login('boss@example.org', ADMIN_PASSWORD)).status).toBe(200);
    expect(await admin.get('/api/auth/me')).toMatchObject({
      status: 200,
      body: { email: 'boss@example.org', access: 'admin', mustChangePassword: true },
    });
    expect(await admin.get('/api/roles')).toMatchObject({
      status: 403,
      body: { code: 'PASSWORD_CHANGE_REQUIRED' },
    });
    expect(
      await admin.post('/api/auth/password', { currentPassword: 'not-the-password', newPassword: STRONG }),
    ).toMatchObject({ status: 401, body: { code: 'CURRENT_PASSWORD_WRONG' } });
    expect(
      await admin.post('/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'short' }),
    ).toMatchObject({ status: 400, body: { code: 'WEAK_PASSWORD' } });
    expect(
      await admin.post('/api/auth/password', { currentPassword: ADMIN_PASSWORD, newPassword: STRONG }),
    ).toMatchObject({ status: 200, body: { mustChangePassword: false } });
    expect((await admin.get('/api/roles')).status).toBe(200);
    const audit = await lab.running.app
      .get(DataSource)
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'change-password' });
    expect(audit).toMatchObject({
      actorLabel: 'boss@example.org',
      entityType: 'member',
      before: null,
      after: null,
    });
  });

  it('refuses every login problem with the same answer (no account enumeration)', async () => {
    const members = lab.dataSource.getRepository(Member);
    const hash = await hashPassword(STRONG);
    // Lucía's role (Fab Users) has no portal access; Dora is disabled.
    await members.update({ name: 'Lucía' }, { email: 'lucia@example.org', passwordHash: hash });
    await members.update({ name: 'Dora' }, { email: 'dora@example.org', passwordHash: hash });
    const attempts = [
      ['boss@example.org', 'wrong-password-1'],
      ['nobody@example.org', STRONG],
      ['lucia@example.org', STRONG],
      ['dora@example.org', STRONG],
    ];
    for (const [email, password] of attempts) {
      const response = await new ApiClient(lab.running.httpUrl).login(email ?? '', password ?? '');
      expect(response).toMatchObject({
        status: 401,
        body: { code: 'INVALID_CREDENTIALS', message: 'wrong email or password' },
      });
    }
  });

  it('accepts a legacy Werkzeug hash and upgrades it at login', async () => {
    const legacy =
      'pbkdf2:sha256:600000$NqoufmwzzXZTiQco$ab5bea7a25179bca6496215bcb661bdad3c50f3a65e8ef240a436b10a998864d';
    const members = lab.dataSource.getRepository(Member);
    await members.update({ email: 'staff@example.org' }, { passwordHash: legacy });
    expect((await new ApiClient(lab.running.httpUrl).login('staff@example.org', 'admin')).status).toBe(200);
    const upgraded = await members.findOneByOrFail({ email: 'staff@example.org' });
    expect(upgraded.passwordHash?.startsWith('scrypt$')).toBe(true);
  });

  it('declares a portal level on every route that is not public, and the public ones are few', () => {
    const routes = routesOf(lab);
    expect(routes.length).toBeGreaterThan(5);
    expect(
      routes
        .filter((r) => r.public)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([
      'GET /api/auth/forgot',
      'GET /api/kiosk/status',
      'GET /health',
      'GET /metrics',
      'GET /ready',
      'POST /api/auth/forgot',
      'POST /api/auth/login',
      'POST /api/auth/magic-link',
      'POST /api/auth/magic-link/verify',
      'POST /api/auth/reset',
    ]);
    expect(routes.filter((r) => !r.public && !r.access)).toEqual([]);
  });

  it('answers 401 without a session and 403 to a level too low, on every route', async () => {
    const hash = await hashPassword(STRONG);
    const source = lab.running.app.get(DataSource);
    await source.getRepository(Member).update({ email: 'staff@example.org' }, { passwordHash: hash });
    const [viewers] = await source.query<{ id: number }[]>(
      `INSERT INTO roles (name, "authorizeAll", maintenance, "portalAccess", reserved, "createdAt", "updatedAt")
       VALUES ('Viewers', 0, 0, 'read-only', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`,
    );
    await source
      .getRepository(Member)
      .update({ name: 'Mario' }, { email: 'viewer@example.org', passwordHash: hash, roleId: viewers?.id });
    // The members' portal level: every staff route (read-only and up) refuses it.
    const [membersRole] = await source.query<{ id: number }[]>(
      `INSERT INTO roles (name, "authorizeAll", maintenance, "portalAccess", reserved, "createdAt", "updatedAt")
       VALUES ('Portal members', 0, 0, 'member', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`,
    );
    await source
      .getRepository(Member)
      .update(
        { name: 'Lucía' },
        { email: 'member@example.org', passwordHash: hash, roleId: membersRole?.id },
      );
    const signedIn: [PortalAccess, ApiClient][] = [
      ['manager', new ApiClient(lab.running.httpUrl)],
      ['read-only', new ApiClient(lab.running.httpUrl)],
      ['member', new ApiClient(lab.running.httpUrl)],
    ];
    expect((await signedIn[0][1].login('staff@example.org', STRONG)).status).toBe(200);
    expect((await signedIn[1][1].login('viewer@example.org', STRONG)).status).toBe(200);
    // Signed in as sign-in would (the login route's per-address limit is nearly used up here).
    signedIn[2][1].useSession(await sessionFor(lab, 'member@example.org'));
    expect(await signedIn[2][1].get('/api/auth/me')).toMatchObject({
      status: 200,
      body: { access: 'member' },
    });
    const body = (route: Route) => (route.method === 'GET' ? undefined : {});
    let refused = 0;
    let memberRefused = 0;
    for (const route of routesOf(lab).filter((r) => !r.public)) {
      const anonymous = await new ApiClient(lab.running.httpUrl).request(
        route.method,
        concrete(route.path),
        body(route),
      );
      expect([route.method, route.path, anonymous.status, anonymous.body]).toEqual([
        route.method,
        route.path,
        401,
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      ]);
      for (const [level, client] of signedIn) {
        if (route.access && hasAccess(level, route.access)) continue;
        const tooLow = await client.request(route.method, concrete(route.path), body(route));
        expect([route.method, route.path, level, tooLow.status]).toEqual([
          route.method,
          route.path,
          level,
          403,
        ]);
        refused++;
        if (level === 'member') memberRefused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    // Every route for staff (read-only or more) was tried as a member above, and refused.
    const staffRoutes = routesOf(lab).filter(
      (r) => !r.public && (!r.access || hasAccess(r.access, 'read-only')),
    );
    expect(memberRefused).toBe(staffRoutes.length);
    // A member keeps only their session and password routes (and the members' own pages).
    expect(
      routesOf(lab)
        .filter((r) => r.access === 'member' && r.path.startsWith('/api/auth/'))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['GET /api/auth/me', 'POST /api/auth/logout', 'POST /api/auth/password']);
    // A machine's hard delete erases its history: admins only, a manager is refused.
    expect(routesOf(lab).find((r) => r.method === 'DELETE' && r.path === '/api/machines/:id')?.access).toBe(
      'admin',
    );
    const [, manager] = signedIn[0];
    expect((await manager.request('DELETE', '/api/machines/1?confirm=true')).status).toBe(403);
    // Certification (issue 15): erasing an authorization is for admins (everyone else revokes); the
    // lifecycle routes a trainer uses are open to members and checked in the service; trainers are
    // made by managers.
    const declared = (method: string, path: string) =>
      routesOf(lab).find((r) => r.method === method && r.path === path)?.access;
    expect(declared('DELETE', '/api/authorizations/:id')).toBe('admin');
    for (const action of ['renew', 'suspend', 'reinstate', 'revoke'])
      expect(declared('POST', `/api/authorizations/:id/${action}`)).toBe('member');
    expect(declared('POST', '/api/authorizations')).toBe('member');
    expect(declared('POST', '/api/authorizations/bulk')).toBe('member');
    expect(declared('POST', '/api/authorizations/renew')).toBe('member');
    expect(declared('GET', '/api/authorizations/:id/history')).toBe('member');
    expect(declared('POST', '/api/trainers')).toBe('manager');
    expect(declared('POST', '/api/trainers/:id/revoke')).toBe('manager');
    expect(declared('GET', '/api/me/trainer-of')).toBe('member');
    expect(declared('GET', '/api/me/trainees')).toBe('member');
    expect((await manager.request('DELETE', '/api/authorizations/1')).status).toBe(403);
    // A read-only user trains nothing: the service refuses the lifecycle routes.
    const [, viewer] = signedIn[1];
    expect(await viewer.post('/api/authorizations/1/renew')).toMatchObject({
      status: 403,
      body: { code: 'NOT_TRAINER_FOR_TYPE' },
    });
    // Every route, three levels: longer than one request.
  }, 120_000);

  it('refuses state-changing requests without the CSRF header', async () => {
    const noCsrf = new ApiClient(lab.running.httpUrl, { csrf: false });
    expect(await noCsrf.login('boss@example.org', STRONG)).toMatchObject({
      status: 403,
      body: { code: 'CSRF_HEADER_MISSING' },
    });
  });

  it('sets a session cookie the page scripts cannot read, and security headers', async () => {
    const response = await fetch(`${lab.running.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fabomatic' },
      body: JSON.stringify({ email: 'boss@example.org', password: STRONG }),
    });
    const cookie = response.headers.getSetCookie().join(';').toLowerCase();
    expect(cookie).toContain('httponly');
    expect(cookie).toContain('samesite=strict');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('validates bodies and reports fields, rejecting unknown ones', async () => {
    const response = await admin.post('/api/roles', {
      name: '',
      authorizeAll: 'yes',
      portalAccess: 'god',
      extra: 1,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(Object.keys((response.body as { fields: object }).fields).sort()).toEqual(
      ['authorizeAll', 'extra', 'maintenance', 'name', 'portalAccess'].sort(),
    );
    expect((await admin.get('/api/roles?sort=password')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses inherited property names as sort keys on every list (never a 500)', async () => {
    const lists = [
      '/api/roles',
      '/api/members',
      '/api/machines',
      '/api/machine-types',
      '/api/authorizations',
      '/api/maintenance-plans',
      '/api/interventions',
      '/api/usage',
      '/api/access-events',
      '/api/unknown-cards',
      '/api/audit',
      '/api/boards',
    ];
    for (const list of lists) {
      for (const sort of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const response = await admin.get(`${list}?sort=${sort}`);
        expect([list, sort, response.status]).toEqual([list, sort, 400]);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      for (const sort of ['constructor', 'toString']) {
        // Exports either refuse the key or ignore it (some have a fixed order): never a server error.
        const response = await admin.get(`${list}/export?sort=${sort}`);
        expect([`${list}/export`, sort, response.status < 500]).toEqual([`${list}/export`, sort, true]);
      }
    }
  });

  it('manages roles, refusing to delete one still in use, and audits every change', async () => {
    const created = await admin.post<{ id: number }>('/api/roles', {
      name: 'Volunteers',
      authorizeAll: false,
      maintenance: true,
      portalAccess: 'read-only',
    });
    expect(created).toMatchObject({ status: 201, body: { name: 'Volunteers', memberCount: 0 } });
    const id = created.body.id;
    expect(await admin.patch(`/api/roles/${id}`, { maintenance: false })).toMatchObject({
      status: 200,
      body: { maintenance: false },
    });
    const list = await admin.get<{ items: { name: string }[]; total: number }>('/api/roles?q=volunt');
    expect(list.body.items.map((r) => r.name)).toEqual(['Volunteers']);
    const used = (await admin.get<{ items: { id: number; name: string }[] }>('/api/roles?q=fab%20users')).body
      .items[0];
    expect(await admin.delete(`/api/roles/${used?.id}`)).toMatchObject({
      status: 409,
      body: { code: 'ROLE_IN_USE', params: { count: expect.any(Number) } },
    });
    expect(
      await admin.post('/api/roles', {
        name: 'Volunteers',
        authorizeAll: false,
        maintenance: false,
        portalAccess: 'none',
      }),
    ).toMatchObject({
      status: 409,
      body: { code: 'ROLE_NAME_TAKEN', params: { field: 'name', name: 'Volunteers' } },
    });
    expect(await admin.patch(`/api/roles/${used?.id}`, { name: 'Volunteers' })).toMatchObject({
      status: 409,
      body: { code: 'ROLE_NAME_TAKEN' },
    });
    const csv = await admin.get<string>('/api/roles/export?format=csv&q=volunt');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csvRows(csv.body)).toEqual([
      {
        Role: 'Volunteers',
        'Authorize all': 'false',
        Maintenance: 'false',
        'Portal access': 'read-only',
        Members: '0',
      },
    ]);
    expect((await admin.delete(`/api/roles/${id}`)).status).toBe(204);
    const audit = await lab.running.app
      .get(DataSource)
      .getRepository(AuditEntry)
      .find({
        where: { entityType: 'role', entityId: String(id) },
        order: { id: 'ASC' },
      });
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([
      ['create', 'boss@example.org'],
      ['update', 'boss@example.org'],
      ['delete', 'boss@example.org'],
    ]);
    expect(audit[1]?.before).toMatchObject({ maintenance: true });
    expect(audit[1]?.after).toMatchObject({ maintenance: false });
  });

  it('rate-limits login attempts', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++)
      last = (await new ApiClient(lab.running.httpUrl).login('boss@example.org', 'wrong-pass')).status;
    expect(last).toBe(429);
  });

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${lab.running.httpUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, { properties?: object; required?: string[] }> };
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/roles']));
    // Loaded on demand (core/http/openapi.ts): DTOs made by the type helpers keep their documentation.
    expect(document.paths['/api/members']?.['get']?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'sort', 'q', 'roleId']),
    );
    const update = document.components.schemas['MemberUpdateDto'];
    expect(Object.keys(update?.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'email', 'cardUid']),
    );
    expect(update?.required ?? []).toEqual([]);
    const ui = await fetch(`${lab.running.httpUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    expect((await fetch(`${lab.running.httpUrl}/api/docs/swagger-ui-init.js`)).status).toBe(200);
  });
  it('ends a portal session SESSION_MAX_DAYS (7) after sign-in, however much it is used', async () => {
    // A session as sign-in opens it (the login route is rate-limited by now in this suite).
    const token = randomBytes(32).toString('base64url');
    const boss = await lab.dataSource.getRepository(Member).findOneByOrFail({ email: 'boss@example.org' });
    const signedInAt = lab.clock.now();
    await lab.dataSource.getRepository(PortalSession).insert({
      tokenHash: createHash('sha256').update(token).digest('hex'),
      memberId: boss.id,
      createdAt: signedInAt,
      lastSeenAt: signedInAt,
      expiresAt: new Date(signedInAt.getTime() + 12 * 3_600_000),
    });
    const me = async () =>
      (
        await fetch(`${lab.running.httpUrl}/api/auth/me`, {
          headers: { cookie: `${SESSION_COOKIE}=${token}` },
        })
      ).status;
    expect(await me()).toBe(200);
    // Used every 6 hours, well inside the 12-hour idle limit, for 6 days and 18 hours: still valid.
    for (let hours = 6; hours <= 162; hours += 6) {
      lab.clock.advance(6 * 3_600_000);
      expect([hours, await me()]).toEqual([hours, 200]);
    }
    lab.clock.advance(6 * 3_600_000);
    expect(await me()).toBe(401);
  });
});
