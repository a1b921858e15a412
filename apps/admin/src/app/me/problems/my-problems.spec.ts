import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProblemReportDto } from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { MyProblems } from './my-problems';

const OPEN: ProblemReportDto = {
  id: 4,
  machineId: 3,
  machineName: 'Laser',
  severity: 'out-of-order',
  hardLock: false,
  description: 'Smoke',
  state: 'open',
  hasPhoto: false,
  reporter: { id: 7, name: 'Mia Member' },
  mine: true,
  createdAt: '2026-12-01T10:00:00Z',
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  cancelledAt: null,
};
const RESOLVED: ProblemReportDto = {
  ...OPEN,
  id: 2,
  machineName: 'Lathe',
  state: 'resolved',
  resolution: 'Tightened the belt',
  resolvedAt: '2026-11-20T10:00:00Z',
  createdAt: '2026-11-19T10:00:00Z',
};

describe('the member’s problem reports', () => {
  let fixture: ComponentFixture<MyProblems>;
  let http: HttpTestingController;

  const host = () => fixture.nativeElement as HTMLElement;
  const $ = <T extends Element>(selector: string) => host().querySelector<T>(selector);
  const button = (key: string) =>
    [...host().querySelectorAll('button')].find((b) => b.textContent?.includes(key));
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslateService(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(MyProblems);
    await settle();
    http.expectOne('/api/me/problems').flush([RESOLVED, OPEN]);
    http.expectOne('/api/me/notifications').flush({ machineStatus: true });
    await settle();
  });
  afterEach(() => http.verify());

  it('lists the open report first, and the resolution of a resolved one', () => {
    const items = [...host().querySelectorAll('.reports > li')];
    expect(items.map((li) => li.querySelector('h2')?.textContent)).toEqual(['Laser', 'Lathe']);
    expect(items[1].textContent).toContain('Tightened the belt');
    expect(items[1].querySelector('button')).toBeNull();
  });

  it('cancels an open report once confirmed', async () => {
    button('problems.mine.cancel')!.click();
    await settle();
    expect($('[role=alertdialog]')?.textContent).toContain('problems.mine.cancel-confirm');
    button('problems.mine.cancel-no')!.click();
    await settle();
    expect($('[role=alertdialog]')).toBeNull();

    button('problems.mine.cancel')!.click();
    await settle();
    button('problems.mine.cancel-yes')!.click();
    await settle();
    http
      .expectOne({ method: 'POST', url: '/api/problems/4/cancel' })
      .flush({ ...OPEN, state: 'cancelled', cancelledAt: '2026-12-02T10:00:00Z' });
    await settle();
    expect(button('problems.mine.cancel')).toBeUndefined();
    expect(host().textContent).toContain('problems.state.cancelled');
  });

  it('switches the out-of-order emails off', async () => {
    const toggle = $<HTMLInputElement>('input[role=switch]')!;
    expect(toggle.checked).toBe(true);
    toggle.click();
    await settle();
    const sent = http.expectOne({ method: 'PATCH', url: '/api/me/notifications' });
    expect(sent.request.body).toEqual({ machineStatus: false });
    sent.flush({ machineStatus: false });
    await settle();
    expect(toggle.checked).toBe(false);
    expect(host().textContent).toContain('problems.mine.notify-saved');
  });
});
