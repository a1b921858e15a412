import { HttpErrorResponse } from '@angular/common/http';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { controlMessage, FormState, refusedFields, required } from './form-state';

const refusal = (fields: Record<string, string>, rules?: Record<string, object[]>) =>
  new HttpErrorResponse({ status: 400, error: { code: 'VALIDATION_FAILED', message: 'no', fields, rules } });
const conflict = new HttpErrorResponse({
  status: 409,
  error: { code: 'MACHINE_NAME_TAKEN', message: 'taken', params: { field: 'name', name: 'Laser' } },
});
/** A request that fails as the HTTP client does (its errors are not `Error`s). */
const failing = (error: unknown) => (): Promise<void> => {
  throw error;
};

function setUp() {
  const form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [required, Validators.maxLength(5)] }),
    hours: new FormControl(0, { nonNullable: true, validators: [Validators.min(0)] }),
  });
  const state = new FormState(form, { fixFields: 'x.fix-fields' });
  return { form, state };
}

describe('form errors', () => {
  it('says nothing of an untouched control, then the first thing wrong with it, stating the rule', () => {
    const control = new FormControl('', [required, Validators.maxLength(2), Validators.pattern(/^\d+$/)]);
    expect(controlMessage(control, false)).toBeNull();
    control.markAsTouched();
    expect(controlMessage(control, false)).toEqual({ key: 'machines.form-errors.required', params: {} });
    control.setValue('abc');
    expect(controlMessage(control, false)).toEqual({ key: 'validation.max-length', params: { max: 2 } });
    control.setValue('ab');
    expect(controlMessage(control, false)).toEqual({ key: 'machines.form-errors.pattern', params: {} });
    control.setValue('12');
    expect(controlMessage(control, false)).toBeNull();
    const range = new FormControl(-1, [Validators.min(0), Validators.max(10)]);
    range.markAsDirty();
    expect(controlMessage(range, false)).toEqual({ key: 'validation.min', params: { min: 0 } });
    range.setValue(11);
    expect(controlMessage(range, false)).toEqual({ key: 'validation.max', params: { max: 10 } });
  });

  it('states the rule a field broke on the server, when the server names one the portal words', () => {
    const control = new FormControl('12');
    expect(controlMessage(control, true)).toEqual({ key: 'machines.form-errors.server', params: {} });
    expect(controlMessage(control, [])).toEqual({ key: 'machines.form-errors.server', params: {} });
    expect(controlMessage(control, [{ rule: 'isLength', min: 1, max: 100 }])).toEqual({
      key: 'validation.length',
      params: { min: 1, max: 100 },
    });
    expect(controlMessage(control, [{ rule: 'someday' }, { rule: 'isTopicId' }])).toEqual({
      key: 'validation.topic-id',
      params: {},
    });
  });

  it('reads the refused fields of a VALIDATION_FAILED answer with their rules, and the field a clash names', () => {
    const refused = refusedFields(
      refusal({ name: 'short', hours: 'big' }, { hours: [{ rule: 'max', max: 9 }] }),
    );
    expect([...refused]).toEqual([
      ['name', []],
      ['hours', [{ rule: 'max', max: 9 }]],
    ]);
    expect([...refusedFields(conflict)]).toEqual([['name', [{ rule: 'taken' }]]]);
    expect(refusedFields(new Error('boom')).size).toBe(0);
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
    expect(state.serverError()).toEqual({ key: 'errors.VALIDATION_FAILED', params: {} });
    expect(state.isRefused('name')).toBe(true);
    expect(state.isRefused('hours')).toBe(false);
    expect(state.busy()).toBe(false);

    // A clash is said with what it names, and marks the field whose value is taken.
    await state.submit(failing(conflict));
    expect(state.serverError()).toEqual({
      key: 'errors.MACHINE_NAME_TAKEN',
      params: { field: 'name', name: 'Laser' },
    });
    expect(state.refusal('name')).toEqual([{ rule: 'taken' }]);
    expect(state.refusal('hours')).toBe(false);
  });

  it('keeps the refused fields when another request fails without saying', () => {
    const { state } = setUp();
    state.fail(refusal({ hours: 'big' }));
    state.fail(new Error('boom'));
    expect(state.serverError()).toEqual({ key: 'errors.INTERNAL_ERROR', params: {} });
    expect(state.isRefused('hours')).toBe(true);
  });
});
