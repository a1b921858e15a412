import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { type AbstractControl, type ValidatorFn, Validators } from '@angular/forms';
import type { ApiErrorBody } from '@fabomatic/contracts';
import { errorKey } from './api-error';

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

/** What differs between the forms in how a save is refused. */
export interface FormStateOptions {
  /** Translation key of the alert when a field is still wrong on submit. */
  readonly fixFields: string;
  /** Translation key of the alert of a save (or other request) that failed. */
  readonly failure: (error: unknown) => string;
}

/**
 * The state around a reactive edit form: busy while saving, the alert of a refused save, the fields
 * the server refused, the "saved" notice, and the form's status as a signal (so OnPush templates
 * follow validation). The form keeps its own fields, messages, request and what follows a save.
 */
export class FormState {
  readonly busy = signal(false);
  /** Set by the form after a save that stays on the page; cleared by the next submit. */
  readonly saved = signal(false);
  /** Translation key of the alert under the fields. */
  readonly serverError = signal<string | null>(null);
  private readonly refused = signal<ReadonlySet<string>>(new Set());
  private readonly revision = signal(0);

  constructor(
    private readonly form: AbstractControl,
    private readonly options: FormStateOptions,
  ) {
    form.events.subscribe(() => this.revision.update((n) => n + 1));
  }

  /** Whether the server refused the field; reading it also follows the form's status. */
  isRefused(field: string): boolean {
    this.revision();
    return this.refused().has(field);
  }

  /**
   * Submit: show every field's error and stop at the first wrong one, or `send` while busy; a failure
   * shows its alert and marks the fields the server refused.
   */
  async submit(send: () => Promise<void>): Promise<void> {
    this.refused.set(new Set());
    this.serverError.set(null);
    this.saved.set(false);
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      this.serverError.set(this.options.fixFields);
      return;
    }
    this.busy.set(true);
    try {
      await send();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  /** Show why a request failed, and which fields the server refused (when it says). */
  fail(error: unknown): void {
    this.serverError.set(this.options.failure(error));
    if (error instanceof HttpErrorResponse) this.refused.set(refusedFields(error));
  }
}
