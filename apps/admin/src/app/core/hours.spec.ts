import { TestBed } from '@angular/core/testing';
import { provideTranslateService } from '@ngx-translate/core';
import { formatHours, HoursPipe, roundHours } from './hours';
import { LanguageService } from './language';

describe('formatHours', () => {
  it('shows one decimal below 100 h, in the portal language', () => {
    expect(formatHours(1.2847222222222223, 'en')).toBe('1.3');
    expect(formatHours(1.2847222222222223, 'it')).toBe('1,3');
    expect(formatHours(12, 'en')).toBe('12');
    expect(formatHours(0.04, 'en')).toBe('0');
    expect(formatHours(99.94, 'it')).toBe('99,9');
  });

  it('shows whole hours from 100 h, grouped as the language groups thousands', () => {
    expect(formatHours(100.4, 'en')).toBe('100');
    expect(formatHours(1234.56, 'en')).toBe('1,235');
    expect(formatHours(12345.6, 'it')).toBe('12.346');
  });

  it('rounds the hour meter as its field edits it', () => {
    expect(roundHours(1.2847222222222223)).toBe(1.3);
    expect(roundHours(7)).toBe(7);
  });
});

describe('HoursPipe', () => {
  it('follows the portal language', () => {
    TestBed.configureTestingModule({ providers: [provideTranslateService(), HoursPipe] });
    const pipe = TestBed.inject(HoursPipe);
    const language = TestBed.inject(LanguageService);
    language.use('en');
    expect(pipe.transform(2.25)).toBe('2.3');
    language.use('it');
    expect(pipe.transform(2.25)).toBe('2,3');
    expect(pipe.transform(null)).toBe('');
  });
});
