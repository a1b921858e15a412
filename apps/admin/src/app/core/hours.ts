import { Pipe, type PipeTransform, inject } from '@angular/core';
import { LanguageService } from './language';

/** Below this many hours a value shows one decimal; from it on, whole hours. */
const WHOLE_HOURS_FROM = 100;

/**
 * Hours as people read them, in the portal language: one decimal below 100 h (`1.3`, `1,3` in
 * Italian), whole hours from 100 h (`1,235` / `1.235`). The one rule of every hour count shown.
 */
export function formatHours(hours: number, language: string): string {
  const digits = Math.abs(hours) < WHOLE_HOURS_FROM ? 1 : 0;
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(hours);
}

/** An hour value rounded as the hour-meter field edits it (one decimal). */
export function roundHours(hours: number): number {
  return Math.round(hours * 10) / 10;
}

/** `{{ plan.hoursSince | hours }}`: {@link formatHours} in the current portal language. */
@Pipe({ name: 'hours', pure: false })
export class HoursPipe implements PipeTransform {
  private readonly language = inject(LanguageService);

  transform(hours: number | null | undefined): string {
    return hours === null || hours === undefined ? '' : formatHours(hours, this.language.current());
  }
}
