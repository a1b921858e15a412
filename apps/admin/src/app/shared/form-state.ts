import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { type AbstractControl, type ValidatorFn, Validators } from '@angular/forms';
import type { ApiErrorBody, FieldRule } from '@fabomatic/contracts';
import { errorMessage } from '../core/api-error';
import { ruleMessage } from './field-rules';
import { type Message, message } from './message';

/**
 * What is wrong with a control once touched (null when nothing is), stating the rule and its limit;
 * `serverRefused` is whether the server refused it, or the rules it says the value broke.
 */
export function controlMessage(
  control: AbstractControl,
  serverRefused: boolean | readonly FieldRule[],
): Message | null {
  if (serverRefused !== false) {
    return (
      (serverRefused === true ? null : ruleMessage(serverRefused)) ?? message('machines.form-errors.server')
    );
  }
  const errors = control.errors;
  if (!errors || !(control.touched || control.dirty)) return null;
  if (control.hasError('required')) return message('machines.form-errors.required');
  if (control.hasError('maxlength')) {
    return message('validation.max-length', {
      max: (errors['maxlength'] as { requiredLength: number }).requiredLength,
    });
  }
  if (control.hasError('min'))
    return message('validation.min', { min: (errors['min'] as { min: number }).min });
  if (control.hasError('max'))
    return message('validation.max', { max: (errors['max'] as { max: number }).max });
  if (control.hasError('pattern')) return message('machines.form-errors.pattern');
  return message('machines.form-errors.invalid');
}

/**
 * The fields the server refused, by name, with the rules each broke: those of a VALIDATION_FAILED
 * answer, or the field a clash names (its value is `taken`).
 */
export function refusedFields(error: unknown): ReadonlyMap<string, readonly FieldRule[]> {
  if (!(error instanceof HttpErrorResponse)) return new Map();
  const body = error.error as Partial<ApiErrorBody> | null;
  const refused = new Map<string, readonly FieldRule[]>(
    Object.keys(body?.fields ?? {}).map((field) => [field, body?.rules?.[field] ?? []]),
  );
  const clash = body?.params?.['field'];
  if (typeof clash === 'string') refused.set(clash, [{ rule: 'taken' }]);
  return refused;
}

/** `Validators.required` without passing an unbound method around. */
export const required: ValidatorFn = (control) => Validators.required(control);

/** What differs between the forms in how a save is refused. */
export interface FormStateOptions {
  /** Translation key of the alert when a field is still wrong on submit. */
  readonly fixFields: string;
  /** The alert of a save (or other request) that failed: the API's message, unless the form words it. */
  readonly failure?: (error: unknown) => Message | string;
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
  /** The alert under the fields (a translation key, or a message with the values it names). */
  readonly serverError = signal<Message | string | null>(null);
  private readonly refused = signal<ReadonlyMap<string, readonly FieldRule[]>>(new Map());
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
   * Whether the server refused the field (false), else the rules it said the value broke (maybe
   * none): what {@link controlMessage} states.
   */
  refusal(field: string): false | readonly FieldRule[] {
    this.revision();
    return this.refused().get(field) ?? false;
  }

  /**
   * Submit: show every field's error and stop at the first wrong one, or `send` while busy; a failure
   * shows its alert and marks the fields the server refused.
   */
  async submit(send: () => Promise<void>): Promise<void> {
    this.refused.set(new Map());
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
    this.serverError.set((this.options.failure ?? errorMessage)(error));
    if (error instanceof HttpErrorResponse) this.refused.set(refusedFields(error));
  }
}
