import type { HttpTestingController } from '@angular/common/http/testing';
import type { CurrentUser } from '@fabomatic/contracts';
import { AuthApi } from './auth-api';
import { answer, apiUnderTest } from './api-test-helpers';

const USER = { id: 1, name: 'Ada', access: 'admin' } as CurrentUser;

describe('the session API client', () => {
  let api: AuthApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(AuthApi)));
  afterEach(() => http.verify());

  it('asks who is signed in, signs in and out', async () => {
    const me = api.me();
    answer(http, 'GET', '/api/auth/me', USER);
    await expect(me).resolves.toEqual(USER);

    const login = api.login({ email: 'ada@example.org', password: 'correct horse' });
    expect(answer(http, 'POST', '/api/auth/login', USER).body).toEqual({
      email: 'ada@example.org',
      password: 'correct horse',
    });
    await expect(login).resolves.toEqual(USER);

    const logout = api.logout();
    expect(answer(http, 'POST', '/api/auth/logout').body).toEqual({});
    await expect(logout).resolves.toBeUndefined();
  });

  it('changes the password and answers the user as they are now', async () => {
    const changed = api.changePassword({ currentPassword: 'old one', newPassword: 'new one' });
    expect(answer(http, 'POST', '/api/auth/password', USER).body).toEqual({
      currentPassword: 'old one',
      newPassword: 'new one',
    });
    await expect(changed).resolves.toEqual(USER);
  });

  it('asks whether reset links can be emailed, asks for one and sets a new password with it', async () => {
    const options = api.forgotOptions();
    answer(http, 'GET', '/api/auth/forgot', { emailConfigured: true });
    await expect(options).resolves.toEqual({ emailConfigured: true });

    const forgot = api.forgot({ email: 'ada@example.org' });
    expect(answer(http, 'POST', '/api/auth/forgot').body).toEqual({ email: 'ada@example.org' });
    await expect(forgot).resolves.toBeUndefined();

    const reset = api.reset({ token: 'abc', newPassword: 'new one' });
    expect(answer(http, 'POST', '/api/auth/reset').body).toEqual({ token: 'abc', newPassword: 'new one' });
    await expect(reset).resolves.toBeUndefined();
  });
});
