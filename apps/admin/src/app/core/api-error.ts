import { HttpErrorResponse } from '@angular/common/http';

/** The translation key of an API error (`errors.<CODE>`), whatever went wrong. */
export function errorKey(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const code = (error.error as { code?: unknown } | null)?.code;
    if (typeof code === 'string') return `errors.${code}`;
    if (error.status === 0) return 'errors.OFFLINE';
  }
  return 'errors.INTERNAL_ERROR';
}
