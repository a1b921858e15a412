import { HttpErrorResponse } from '@angular/common/http';
import { errorMessage, explainError } from './api-error';

const answer = (status: number, error: object) => new HttpErrorResponse({ status, error });

describe('API error messages', () => {
  it('translate the code with what the body names', () => {
    const clash = answer(409, {
      code: 'MEMBER_EMAIL_TAKEN',
      message: 'Ada Lovelace already has this email',
      params: { field: 'email', member: 'Ada Lovelace' },
    });
    expect(errorMessage(clash)).toEqual({
      key: 'errors.MEMBER_EMAIL_TAKEN',
      params: { field: 'email', member: 'Ada Lovelace' },
    });
    expect(errorMessage(answer(0, {}))).toEqual({ key: 'errors.OFFLINE', params: {} });
    expect(errorMessage(new Error('boom'))).toEqual({ key: 'errors.INTERNAL_ERROR', params: {} });
  });

  it('state the rule a refused value broke, outside a form, when the portal words it', () => {
    const range = answer(400, {
      code: 'VALIDATION_FAILED',
      fields: { to: ['must not be before from'] },
      rules: { to: [{ rule: 'notBeforeFrom' }] },
    });
    expect(explainError(range)).toEqual({ key: 'validation.not-before-from', params: {} });
    const limit = answer(400, { code: 'VALIDATION_FAILED', rules: { limit: [{ rule: 'max', max: 100 }] } });
    expect(explainError(limit)).toEqual({ key: 'validation.max', params: { max: 100 } });
    const unworded = answer(400, { code: 'VALIDATION_FAILED', rules: { x: [{ rule: 'isMagic' }] } });
    expect(explainError(unworded)).toEqual({ key: 'errors.VALIDATION_FAILED', params: {} });
  });
});
