import { HttpErrorResponse } from '@angular/common/http';
import { type AbstractControl, type ValidatorFn, Validators } from '@angular/forms';
import type { ApiErrorBody } from '@fabomatic/contracts';
import { errorKey } from '../core/api-error';

/** The translation key of what is wrong with a control, once touched (empty when nothing is). */
export function controlMessage(control: AbstractControl, serverRefused: boolean): string {
  if (serverRefused) return 'machines.form-errors.server';
  if (!control.errors || !(control.touched || control.dirty)) return '';
  if (control.hasError('required')) return 'machines.form-errors.required';
  if (control.hasError('maxlength')) return 'machines.form-errors.too-long';
  if (control.hasError('min') || control.hasError('max')) return 'machines.form-errors.range';
  if (control.hasError('pattern')) return 'machines.form-errors.pattern';
  return 'machines.form-errors.invalid';
}

/** The fields the server refused (VALIDATION_FAILED), by name. */
export function refusedFields(error: unknown): ReadonlySet<string> {
  if (!(error instanceof HttpErrorResponse)) return new Set();
  return new Set(Object.keys((error.error as Partial<ApiErrorBody> | null)?.fields ?? {}));
}

/**
 * The translated message of a failed save: a CONFLICT here means a unique name (or topic id) is
 * taken, which `<namespace>.errors.conflict` says in the words of the page.
 */
export function saveErrorKey(error: unknown, namespace: string): string {
  const key = errorKey(error);
  return key === 'errors.CONFLICT' ? `${namespace}.errors.conflict` : key;
}

/** `Validators.required` without passing an unbound method around. */
export const required: ValidatorFn = (control) => Validators.required(control);
