import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import {
  type CurrentUser,
  type PortalAccess,
  SETUP_STEPS,
  type SetupProgressDto,
  type SetupStep,
} from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { Subject } from 'rxjs';
import { Auth } from '../core/auth';
import { Live } from '../core/live';
import { SetupChecklist } from './setup-checklist';

function progress(...done: SetupStep[]): SetupProgressDto {
  const steps = SETUP_STEPS.map((step) => ({ step, done: done.includes(step) }));
  return { steps, complete: steps.every((s) => s.done) };
}

describe('the first-start checklist', () => {
  let fixture: ComponentFixture<SetupChecklist>;
  let http: HttpTestingController;
  const boardSeen = new Subject<unknown>();
  const accessEvents = new Subject<unknown>();

  const host = () => fixture.nativeElement as HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };

  async function show(access: PortalAccess): Promise<void> {
    const user = signal<CurrentUser>({
      id: 1,
      name: 'Ada',
      surname: 'Admin',
      email: 'ada@example.org',
      access,
      language: 'en',
      mustChangePassword: false,
      hasCard: false,
      hasPassword: true,
    });
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslateService(),
        provideRouter([]),
        { provide: Auth, useValue: { user } },
        {
          provide: Live,
          useValue: { on: (name: string) => (name === 'board-seen' ? boardSeen : accessEvents) },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SetupChecklist);
    await settle();
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => http.verify());

  it('lists every step, links each to its page, and ticks the done ones', async () => {
    await show('manager');
    http.expectOne('/api/setup/progress').flush(progress('machine-type', 'role'));
    await settle();
    const items = [...host().querySelectorAll('li')];
    expect(items.map((li) => li.querySelector('a')?.getAttribute('href'))).toEqual([
      '/machine-types/new',
      '/machines/new',
      '/roles',
      '/members/new',
      '/authorizations',
      '/machines',
    ]);
    expect(items.map((li) => li.classList.contains('done'))).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
    // Managers cannot hide it: only admins.
    expect(host().querySelector('button')).toBeNull();
  });

  it('asks again when a board speaks, and goes away once every step is done', async () => {
    await show('admin');
    http.expectOne('/api/setup/progress').flush(progress('machine-type', 'machine', 'role', 'member'));
    await settle();
    expect(host().querySelector('section')).not.toBeNull();
    boardSeen.next({});
    http.expectOne('/api/setup/progress').flush(progress(...SETUP_STEPS));
    await settle();
    expect(host().querySelector('section')).toBeNull();
  });

  it('is hidden for good (in this browser) when an admin hides it', async () => {
    await show('admin');
    http.expectOne('/api/setup/progress').flush(progress());
    await settle();
    (host().querySelector('button') as HTMLButtonElement).click();
    await settle();
    expect(host().querySelector('section')).toBeNull();
    fixture.destroy();
    TestBed.resetTestingModule();
    await show('admin');
    // Not even asked.
    http.expectNone('/api/setup/progress');
    expect(host().querySelector('section')).toBeNull();
  });

  it('is not shown, nor asked for, below manager', async () => {
    await show('read-only');
    http.expectNone('/api/setup/progress');
    expect(host().querySelector('section')).toBeNull();
  });
});
