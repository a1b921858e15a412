import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { CurrentUser, MachineStatusDto, PortalAccess, ProblemReportDto } from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { NEVER } from 'rxjs';
import { Auth } from '../core/auth';
import { Live } from '../core/live';
import { ProblemDetail } from './problem-detail';

const REPORT: ProblemReportDto = {
  id: 4,
  machineId: 3,
  machineName: 'Laser',
  severity: 'out-of-order',
  hardLock: false,
  description: 'Smoke from the tube',
  state: 'open',
  hasPhoto: true,
  reporter: { id: 7, name: 'Ada Lovelace' },
  mine: false,
  createdAt: '2026-12-01T10:00:00Z',
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  cancelledAt: null,
};
const IN_USE = {
  machineId: 3,
  session: { memberId: 8, memberName: 'Bob', startedAt: '2026-12-01T09:00:00Z' },
} as MachineStatusDto;

describe('a problem report’s page', () => {
  let fixture: ComponentFixture<ProblemDetail>;
  let http: HttpTestingController;

  const host = () => fixture.nativeElement as HTMLElement;
  const $ = <T extends Element>(selector: string) => host().querySelector<T>(selector);
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };

  async function show(access: PortalAccess, report = REPORT, status: MachineStatusDto = IN_USE) {
    const user = signal({ id: 1, access, language: 'en' } as CurrentUser);
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslateService(),
        provideRouter([]),
        { provide: Auth, useValue: { user } },
        { provide: Live, useValue: { on: () => NEVER, connected: signal(true) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProblemDetail);
    fixture.componentRef.setInput('id', String(report.id));
    await settle();
    http.expectOne(`/api/problems/${report.id}`).flush(report);
    await settle();
    http.expectOne('/api/machines/3/status').flush(status);
    await settle();
  }

  afterEach(() => http.verify());

  it('shows the photo, the description, the reporter and the history', async () => {
    await show('read-only');
    expect($<HTMLImageElement>('img.photo')?.getAttribute('src')).toBe('/api/problems/4/photo');
    expect($<HTMLImageElement>('img.photo')?.getAttribute('alt')).toBe('problems.detail.photo-alt');
    expect(host().textContent).toContain('Smoke from the tube');
    expect(host().textContent).toContain('Ada Lovelace');
    expect(host().querySelectorAll('.history li')).toHaveLength(1);
  });

  it('lets read-only staff only read', async () => {
    await show('read-only');
    expect($('textarea')).toBeNull();
    expect($('input[role=switch]')).toBeNull();
    expect(host().textContent).not.toContain('problems.stop.button');
  });

  it('lets a manager resolve it, with a resolution text', async () => {
    await show('manager');
    $<HTMLFormElement>('form')!.dispatchEvent(new Event('submit'));
    await settle();
    expect($('#problem-resolution-error')?.textContent).toContain('machines.form-errors.required');
    const area = $<HTMLTextAreaElement>('textarea')!;
    area.value = ' Replaced the fan ';
    area.dispatchEvent(new Event('input'));
    $<HTMLFormElement>('form')!.dispatchEvent(new Event('submit'));
    await settle();
    const sent = http.expectOne({ method: 'POST', url: '/api/problems/4/resolve' });
    expect(sent.request.body).toEqual({ resolution: 'Replaced the fan' });
    sent.flush({
      ...REPORT,
      state: 'resolved',
      resolution: 'Replaced the fan',
      resolvedAt: '2026-12-02T10:00:00Z',
      resolvedBy: { id: 1, name: 'Max Manager' },
    });
    await settle();
    expect($('textarea')).toBeNull();
    expect(host().querySelectorAll('.history li')).toHaveLength(2);
    expect(host().textContent).toContain('problems.resolve.done');
  });

  it('lets a manager switch the hard lock, explaining it refuses everyone', async () => {
    await show('manager');
    const lock = $<HTMLInputElement>('input[role=switch]')!;
    expect(lock.getAttribute('aria-describedby')).toBe('lock-explain');
    expect($('#lock-explain')?.textContent).toContain('problems.hard-lock.explain');
    lock.click();
    await settle();
    const sent = http.expectOne({ method: 'PATCH', url: '/api/problems/4' });
    expect(sent.request.body).toEqual({ hardLock: true });
    sent.flush({ ...REPORT, hardLock: true });
    await settle();
    expect(host().textContent).toContain('problems.hard-lock.badge');
  });

  it('offers a manager to stop the running session, once confirmed', async () => {
    await show('manager');
    const button = [...host().querySelectorAll('button')].find((b) =>
      b.textContent?.includes('problems.stop.button'),
    )!;
    button.click();
    await settle();
    expect($('[role=alertdialog]')).not.toBeNull();
    $<HTMLButtonElement>('[role=alertdialog] button.danger')!.click();
    await settle();
    http.expectOne({ method: 'POST', url: '/api/machines/3/stop' }).flush({});
    await settle();
    expect(host().textContent).toContain('machines.remote.sent-stop');
  });

  it('offers no stop when nobody uses the machine, and no lock on a note', async () => {
    await show('admin', { ...REPORT, severity: 'note' }, { machineId: 3, session: null } as MachineStatusDto);
    expect(host().textContent).not.toContain('problems.stop.button');
    expect($('input[role=switch]')).toBeNull();
    expect($('textarea')).not.toBeNull();
  });
});
