import { TestBed } from '@angular/core/testing';
import { provideTranslateCompiler, provideTranslateService, TranslateService } from '@ngx-translate/core';
import { firstValueFrom, of } from 'rxjs';
import english from '../../../public/i18n/en.json';
import italian from '../../../public/i18n/it.json';
import { compilePlural, PluralCompiler } from './plural-compiler';

describe('compilePlural', () => {
  it('picks the singular and the plural by the language rules', () => {
    const taps = compilePlural('{count, plural, one {# tap} other {# taps}}', 'en');
    expect(taps({ count: 1 })).toBe('1 tap');
    expect(taps({ count: 2 })).toBe('2 taps');
    expect(taps({ count: 0 })).toBe('0 taps');
    expect(taps({ count: 1234 })).toBe('1,234 taps');
    const tocchi = compilePlural('{count, plural, one {# tocco} other {# tocchi}}', 'it');
    expect(tocchi({ count: 1 })).toBe('1 tocco');
    expect(tocchi({ count: 12345 })).toBe('12.345 tocchi');
  });

  it('takes exact cases first, and keeps text and {{parameters}} around and inside', () => {
    const seen = compilePlural(
      'On {{machine}}: {n, plural, =0 {no taps} one {one tap by {{who}}} other {# taps by {{who}}}}.',
      'en',
    );
    expect(seen({ n: 0, machine: 'Laser', who: 'Ada' })).toBe('On Laser: no taps.');
    expect(seen({ n: 1, machine: 'Laser', who: 'Ada' })).toBe('On Laser: one tap by Ada.');
    expect(seen({ n: 3, machine: 'Laser', who: 'Ada' })).toBe('On Laser: 3 taps by Ada.');
  });
});

describe('the portal translations', () => {
  async function translator(language: 'en' | 'it'): Promise<TranslateService> {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideTranslateService({ compiler: provideTranslateCompiler(PluralCompiler) })],
    });
    const translate = TestBed.inject(TranslateService);
    translate.setTranslation(language, language === 'en' ? english : italian);
    await firstValueFrom(translate.use(language) ?? of(null));
    return translate;
  }

  it.each([
    ['en', 'activity.times', { count: 1 }, '(1 tap)'],
    ['en', 'activity.times', { count: 2 }, '(2 taps)'],
    ['it', 'activity.times', { count: 1 }, '(1 passaggio)'],
    ['it', 'activity.times', { count: 2 }, '(2 passaggi)'],
    [
      'en',
      'members.unknown.seen',
      { when: 'today', machine: 'Laser', taps: 1 },
      'last tapped today on Laser, 1 tap',
    ],
    [
      'it',
      'members.unknown.seen',
      { when: 'oggi', machine: 'Laser', taps: 1 },
      'ultimo passaggio oggi su Laser, 1 passaggio',
    ],
    ['it', 'machine-types.delete.counts.machines', { count: 1 }, '1 macchina'],
    ['en', 'machine-types.delete.counts.machines', { count: 2 }, '2 machines'],
    ['en', 'reports.members.count', { count: 1 }, '1 member used machines in this period.'],
    ['en', 'reports.members.count', { count: 3 }, '3 members used machines in this period.'],
    ['it', 'reports.members.count', { count: 1 }, '1 socio ha usato le macchine in questo periodo.'],
  ] as const)('%s %s %j reads "%s"', async (language, key, params, text) => {
    const translate = await translator(language);
    expect(translate.instant(key, params)).toBe(text);
  });

  it('keeps plain {{parameters}} working', async () => {
    const translate = await translator('en');
    expect(translate.instant('dashboard.feed.card', { uid: 'aabb' })).toBe('Card aabb');
  });
});
