import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@fabomatic/contracts';
import { ruleMessage } from '../shared/field-rules';
import { type Message, message } from '../shared/message';

/** The translation key of an API error (`errors.<CODE>`), whatever went wrong. */
export function errorKey(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const code = (error.error as { code?: unknown } | null)?.code;
    if (typeof code === 'string') return `errors.${code}`;
    if (error.status === 0) return 'errors.OFFLINE';
  }
  return 'errors.INTERNAL_ERROR';
}

/** What the API error body names (`{ field, member }` of a clash), or nothing. */
export function errorParams(error: unknown): Message['params'] {
  if (!(error instanceof HttpErrorResponse)) return {};
  return (error.error as Partial<ApiErrorBody> | null)?.params ?? {};
}

/** The message of an API error: `errors.<CODE>` with the values the body names. */
export function errorMessage(error: unknown): Message {
  return message(errorKey(error), errorParams(error));
}

/**
 * The message of an API error outside a form: the rule a refused value broke when the API names one
 * the portal words (To before From, an email it cannot read…), else {@link errorMessage}.
 */
export function explainError(error: unknown): Message {
  if (error instanceof HttpErrorResponse) {
    const rules = (error.error as Partial<ApiErrorBody> | null)?.rules ?? {};
    for (const broken of Object.values(rules)) {
      const stated = ruleMessage(broken);
      if (stated) return stated;
    }
  }
  return errorMessage(error);
}
