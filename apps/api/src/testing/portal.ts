import { ApiClient } from './api-client';
import { TEST_ADMIN, type TestApp } from './test-app';

/** A client signed in as the test app's bootstrap admin, its first-login password change done. */
export async function adminClient(lab: TestApp): Promise<ApiClient> {
  const client = new ApiClient(lab.running.httpUrl);
  let login = await client.login(TEST_ADMIN.email, TEST_ADMIN.changedTo);
  if (login.status !== 200) {
    login = await client.login(TEST_ADMIN.email, TEST_ADMIN.password);
    if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
    const changed = await client.post('/api/auth/password', {
      currentPassword: TEST_ADMIN.password,
      newPassword: TEST_ADMIN.changedTo,
    });
    if (changed.status !== 200) throw new Error(`password change failed: ${JSON.stringify(changed.body)}`);
  }
  return client;
}
