import { HttpErrorResponse } from '@angular/common/http';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { controlMessage, FormState, refusedFields, required, saveErrorKey } from './form-state';

const refusal = (fields: Record<string, string>) =>
  new HttpErrorResponse({ status: 400, error: { code: 'VALIDATION_FAILED', message: 'no', fields } });
const conflict = new HttpErrorResponse({ status: 409, error: { code: 'CONFLICT', message: 'taken' } });
/** A request that fails as the HTTP client does (its errors are not `Error`s). */
const failing = (error: unknown) => (): Promise<void> => {
  throw error;
};

function setUp() {
  const form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [required, Validators.maxLength(5)] }),
    hours: new FormControl(0, { nonNullable: true, validators: [Validators.min(0)] }),
  });
  const state = new FormState(form, {
    fixFields: 'x.fix-fields',
    failure: (error) => saveErrorKey(error, 'x'),
  });
  return { form, state };
}

describe('form errors', () => {
  it('says nothing of an untouched control, then the first thing wrong with it', () => {
    const control = new FormControl('', [required, Validators.maxLength(2), Validators.pattern(/^\d+$/)]);
    expect(controlMessage(control, false)).toBe('');
    control.markAsTouched();
    expect(controlMessage(control, false)).toBe('machines.form-errors.required');
    control.setValue('abc');
    expect(controlMessage(control, false)).toBe('machines.form-errors.too-long');
    control.setValue('ab');
    expect(controlMessage(control, false)).toBe('machines.form-errors.pattern');
    control.setValue('12');
    expect(controlMessage(control, false)).toBe('');
    expect(controlMessage(control, true)).toBe('machines.form-errors.server');
    const range = new FormControl(-1, [Validators.min(0)]);
    range.markAsDirty();
    expect(controlMessage(range, false)).toBe('machines.form-errors.range');
  });

  it('reads the refused fields of a VALIDATION_FAILED answer, and none of anything else', () => {
    expect([...refusedFields(refusal({ name: 'taken', hours: 'big' }))]).toEqual(['name', 'hours']);
    expect(refusedFields(conflict).size).toBe(0);
    expect(refusedFields(new Error('boom')).size).toBe(0);
  });

  it('words a conflict in the page namespace, other errors as the API says', () => {
    expect(saveErrorKey(conflict, 'machines')).toBe('machines.errors.conflict');
    expect(saveErrorKey(refusal({}), 'machines')).toBe('errors.VALIDATION_FAILED');
    expect(saveErrorKey(new Error('boom'), 'machines')).toBe('errors.INTERNAL_ERROR');
  });
});

describe('form state', () => {
  it('does not send a form with a wrong field: marks every field and asks to fix them', async () => {
    const { form, state } = setUp();
    const send = vi.fn(async () => undefined);
    await state.submit(send);
    expect(send).not.toHaveBeenCalled();
    expect(form.controls.name.touched).toBe(true);
    expect(state.serverError()).toBe('x.fix-fields');
    expect(state.busy()).toBe(false);
  });

  it('is busy while sending, and clears the previous alert and saved notice', async () => {
    const { form, state } = setUp();
    form.controls.name.setValue('ok');
    state.serverError.set('old');
    state.saved.set(true);
    let busyWhileSending = false;
    await state.submit(async () => {
      busyWhileSending = state.busy();
      expect(state.serverError()).toBeNull();
      expect(state.saved()).toBe(false);
      state.saved.set(true);
    });
    expect(busyWhileSending).toBe(true);
    expect(state.busy()).toBe(false);
    expect(state.saved()).toBe(true);
    expect(state.serverError()).toBeNull();
  });

  it('shows why a save failed and which fields the server refused, until the next submit', async () => {
    const { form, state } = setUp();
    form.controls.name.setValue('ok');
    await state.submit(failing(refusal({ name: 'taken' })));
    expect(state.serverError()).toBe('errors.VALIDATION_FAILED');
    expect(state.isRefused('name')).toBe(true);
    expect(state.isRefused('hours')).toBe(false);
    expect(state.busy()).toBe(false);

    await state.submit(failing(conflict));
    expect(state.serverError()).toBe('x.errors.conflict');
    expect(state.isRefused('name')).toBe(false);
  });

  it('keeps the refused fields when another request fails without saying', () => {
    const { state } = setUp();
    state.fail(refusal({ hours: 'big' }));
    state.fail(new Error('boom'));
    expect(state.serverError()).toBe('errors.INTERNAL_ERROR');
    expect(state.isRefused('hours')).toBe(true);
  });
});
