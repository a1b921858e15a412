import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MyAuthorizationsDto, MyRefusedTapDto, Page } from '@fabomatic/contracts';
import { provideTranslateService, TranslateService } from '@ngx-translate/core';
import english from '../../../../public/i18n/en.json';
import italian from '../../../../public/i18n/it.json';
import { LanguageService } from '../../core/language';
import { MyHome } from './my-home';
import { MyRefused } from './my-refused';

const STANDING: MyAuthorizationsDto = {
  authorizeAll: false,
  disabled: false,
  authorizations: [
    {
      id: 1,
      machineId: 2,
      machineName: 'LASER',
      machineType: 'Cutters',
      since: '2026-01-10T10:00:00.000Z',
      expiresAt: '2027-03-12T12:00:00.000Z',
      state: 'expired',
    },
    {
      id: 2,
      machineId: 3,
      machineName: 'Prusa',
      machineType: null,
      since: '2026-01-10T10:00:00.000Z',
      expiresAt: null,
      state: 'active',
    },
  ],
  notAuthorized: [
    {
      machineId: 4,
      machineName: 'Lathe',
      machineType: null,
      accessManagement: 'authorization',
      blocked: false,
    },
  ],
  open: [{ machineId: 5, machineName: 'Drill', machineType: null, accessManagement: 'open', blocked: false }],
};

const REFUSED: Page<MyRefusedTapDto> = {
  items: [
    {
      id: 9,
      occurredAt: '2027-03-20T10:00:00.000Z',
      machineId: 2,
      machineName: 'LASER',
      action: 'checkuser',
      reason: 'authorization-expired',
      authorizationExpiresAt: '2027-03-12T12:00:00.000Z',
      count: 1,
    },
    {
      id: 8,
      occurredAt: '2027-03-19T10:00:00.000Z',
      machineId: 4,
      machineName: 'Lathe',
      action: 'checkuser',
      reason: 'machine-out-of-order',
      authorizationExpiresAt: null,
      count: 1,
    },
  ],
  total: 2,
  page: 1,
  pageSize: 25,
  nextCursor: null,
  prevCursor: null,
};

describe('the member’s pages', () => {
  let http: HttpTestingController;

  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await Promise.resolve();
      TestBed.tick();
    }
  };

  async function show<T>(page: Type<T>, language: 'en' | 'it'): Promise<ComponentFixture<T>> {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslateService(),
        provideRouter([]),
      ],
    });
    const translate = TestBed.inject(TranslateService);
    translate.setTranslation('en', english);
    translate.setTranslation('it', italian);
    TestBed.inject(LanguageService).use(language);
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(page);
    await settle();
    return fixture;
  }

  const texts = (fixture: ComponentFixture<unknown>, selector: string) =>
    [...(fixture.nativeElement as HTMLElement).querySelectorAll(selector)].map((e) => e.textContent?.trim());

  afterEach(() => http.verify());

  it('shows the standing: states, expiry dates, what is not yet authorized and what is open', async () => {
    const fixture = await show(MyHome, 'en');
    http.expectOne('/api/me/authorizations').flush(STANDING);
    await settle();
    const root = fixture.nativeElement as HTMLElement;
    expect(texts(fixture, 'h2')).toEqual(['My authorizations', 'Not yet authorized', 'Open to everyone']);
    expect(texts(fixture, 'h3')).toEqual(['LASER', 'Prusa', 'Lathe', 'Drill']);
    expect(root.textContent).toContain('Expired on March 12, 2027');
    expect(root.textContent).toContain('Does not expire');
    expect(texts(fixture, '.state')).toEqual(['Expired', 'Active']);
  });

  it('phrases each refused tap in plain words, in Italian too', async () => {
    const fixture = await show(MyRefused, 'it');
    http.expectOne('/api/me/refused').flush(REFUSED);
    await settle();
    expect(texts(fixture, 'h3')).toEqual([
      'La tua abilitazione per LASER è scaduta il 12 marzo 2027',
      'Macchina fuori servizio',
    ]);
  });
});
