import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  type ActivatedRouteSnapshot,
  type CanActivateFn,
  provideRouter,
  Router,
  type RouterStateSnapshot,
  UrlTree,
} from '@angular/router';
import type { CurrentUser, PortalAccess } from '@fabomatic/contracts';
import { routes } from '../app.routes';
import { Auth } from './auth';
import { afterSignIn, needsLevel, signedIn, staffOnly } from './auth.guard';

function user(access: PortalAccess): CurrentUser {
  return {
    id: 1,
    name: 'Giulia',
    surname: 'Bianchi',
    email: 'g@example.org',
    access,
    language: 'en',
    mustChangePassword: false,
    hasCard: false,
    hasPassword: true,
  };
}

describe('portal level guard', () => {
  const current = signal<CurrentUser | null | undefined>(undefined);
  let refreshed: CurrentUser | null;

  beforeEach(() => {
    current.set(undefined);
    refreshed = null;
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: Auth, useValue: { user: current, refresh: async () => refreshed } },
      ],
    });
  });

  /** What the guard answers: true, or the URL it sends the user to. */
  async function run(guard: CanActivateFn): Promise<string | boolean> {
    const result = await TestBed.runInInjectionContext(() =>
      guard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    );
    if (result instanceof UrlTree) return TestBed.inject(Router).serializeUrl(result);
    return result as boolean;
  }

  it('lets the level in, and every level above it', async () => {
    current.set(user('manager'));
    expect(await run(needsLevel('manager'))).toBe(true);
    current.set(user('admin'));
    expect(await run(needsLevel('manager'))).toBe(true);
  });

  it('sends a lower level to the "not allowed" page', async () => {
    current.set(user('read-only'));
    expect(await run(needsLevel('manager'))).toBe('/not-allowed');
    current.set(user('manager'));
    expect(await run(needsLevel('admin'))).toBe('/not-allowed');
  });

  it('asks the API who is signed in when the page does not know yet, and sends nobody to sign in', async () => {
    refreshed = user('read-only');
    expect(await run(needsLevel('read-only'))).toBe(true);
    expect(await run(needsLevel('manager'))).toBe('/not-allowed');
    refreshed = null;
    expect(await run(needsLevel('read-only'))).toBe('/login');
  });

  /** The lowest level the guards of a portal page let in. */
  async function levelOf(path: string): Promise<PortalAccess | 'nobody'> {
    const route = routes.find((r) => r.path === '')?.children?.find((r) => r.path === path);
    if (!route) throw new Error(`no route ${path}`);
    for (const level of ['read-only', 'manager', 'admin'] as const) {
      current.set(user(level));
      const answers = await Promise.all(((route.canActivate ?? []) as CanActivateFn[]).map(run));
      if (answers.every((answer) => answer === true)) return level;
    }
    return 'nobody';
  }

  it('keeps the pages for making things from levels the API would refuse', async () => {
    const expected: Record<string, PortalAccess> = {
      'members/new': 'manager',
      'members/:id': 'read-only',
      'roles/new': 'admin',
      'roles/:id': 'read-only',
      'machines/new': 'manager',
      'machines/:id': 'read-only',
      'machines/:id/edit': 'manager',
      'machine-types/new': 'manager',
      'machine-types/:id': 'read-only',
      'maintenance/plans/new': 'manager',
      'maintenance/plans/:id': 'read-only',
      'maintenance/interventions/new': 'manager',
      authorizations: 'read-only',
      usage: 'read-only',
      audit: 'admin',
      system: 'admin',
      'not-allowed': 'read-only',
    };
    const actual: Record<string, string> = {};
    for (const path of Object.keys(expected)) actual[path] = await levelOf(path);
    expect(actual).toEqual(expected);
  });

  it('sends a member from the staff portal to their own pages, and lets staff in', async () => {
    const staffArea = routes.find((r) => r.path === '')?.canActivate as CanActivateFn[];
    expect(staffArea).toEqual([signedIn, staffOnly]);
    current.set(user('member'));
    expect(await run(staffOnly)).toBe('/me');
    current.set(user('read-only'));
    expect(await run(staffOnly)).toBe(true);
    refreshed = null;
    current.set(undefined);
    expect(await run(staffOnly)).toBe('/login');
  });

  it("opens the members' portal to every signed-in level", async () => {
    const me = routes.find((r) => r.path === 'me');
    expect(me?.canActivate).toEqual([signedIn]);
    for (const level of ['member', 'read-only', 'admin'] as const) {
      current.set(user(level));
      expect([level, await run(signedIn)]).toEqual([level, true]);
    }
  });

  it('sends a user to their home after sign-in: /me for a member, the dashboard for staff', () => {
    expect(afterSignIn(user('member'))).toBe('/me');
    expect(afterSignIn(user('read-only'))).toBe('/');
    expect(afterSignIn(user('admin'))).toBe('/');
    expect(afterSignIn({ ...user('member'), mustChangePassword: true })).toBe('/password');
  });
});
