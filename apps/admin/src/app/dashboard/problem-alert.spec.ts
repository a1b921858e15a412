import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProblemMessage, ProblemReportDto } from '@fabomatic/contracts';
import { provideTranslateService } from '@ngx-translate/core';
import { Subject } from 'rxjs';
import { Live } from '../core/live';
import { ProblemAlert } from './problem-alert';

const REPORT: ProblemReportDto = {
  id: 4,
  machineId: 3,
  machineName: 'Laser',
  severity: 'out-of-order',
  hardLock: false,
  description: 'Smoke from the tube',
  state: 'open',
  hasPhoto: false,
  reporter: { id: 7, name: 'Ada Lovelace' },
  mine: false,
  createdAt: '2026-12-01T10:00:00Z',
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
  cancelledAt: null,
};

describe('the dashboard’s problem alert', () => {
  let fixture: ComponentFixture<ProblemAlert>;
  let http: HttpTestingController;
  const reported = new Subject<ProblemMessage>();
  const changed = new Subject<ProblemMessage>();

  const host = () => fixture.nativeElement as HTMLElement;
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
        {
          provide: Live,
          useValue: {
            on: (name: string) => (name === 'problem-reported' ? reported : changed),
            connected: signal(true),
          },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ProblemAlert);
    await settle();
    http
      .expectOne('/api/problems?state=open&severity=out-of-order&pageSize=100')
      .flush({ items: [REPORT], total: 1, page: 1, pageSize: 100 });
    await settle();
  });
  afterEach(() => http.verify());

  it('lists the open out-of-order reports with a link to resolve each', () => {
    const items = [...host().querySelectorAll('section li')];
    expect(items).toHaveLength(1);
    expect(items[0].textContent).toContain('Laser');
    expect(items[0].textContent).toContain('Smoke from the tube');
    expect(items[0].querySelector('a')?.getAttribute('href')).toBe('/problems/4');
  });

  it('says a report just filed aloud, and adds it to the list', async () => {
    expect(host().querySelector('[role=alert]')?.textContent?.trim()).toBe('');
    reported.next({ report: { ...REPORT, id: 5, machineName: 'Lathe', createdAt: '2026-12-02T10:00:00Z' } });
    await settle();
    expect(host().querySelector('[role=alert]')?.textContent).toContain('problems.alert.new-out-of-order');
    expect(host().querySelectorAll('section li')).toHaveLength(2);
  });

  it('drops a resolved report', async () => {
    changed.next({ report: { ...REPORT, state: 'resolved' } });
    await settle();
    expect(host().querySelector('section')).toBeNull();
  });
});
