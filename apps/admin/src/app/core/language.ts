import { Injectable, inject, signal } from '@angular/core';
import { TranslateService } from '@ngx-translate/core';

export const LANGUAGES = ['en', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'fabomatic.language';

/** The portal language: English or Italian, remembered on this device. */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly translate = inject(TranslateService);
  readonly current = signal<Language>('en');

  start(): void {
    const saved = localStorage.getItem(STORAGE_KEY);
    const browser = navigator.language.startsWith('it') ? 'it' : 'en';
    this.use(saved === 'it' || saved === 'en' ? saved : browser);
  }

  use(language: Language): void {
    this.current.set(language);
    localStorage.setItem(STORAGE_KEY, language);
    document.documentElement.lang = language;
    this.translate.use(language);
  }
}
