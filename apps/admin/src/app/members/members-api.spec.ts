import type { HttpTestingController } from '@angular/common/http/testing';
import type { MemberDto, MemberImportResult, MemberInput } from '@fabomatic/contracts';
import { answer, apiUnderTest } from '../core/api-test-helpers';
import { MembersApi } from './members-api';

const MEMBER = { id: 7, name: 'Ada', surname: 'Lovelace' } as MemberDto;
const INPUT = { name: 'Ada', surname: 'Lovelace', roleId: 2 } as MemberInput;

describe('the members API client', () => {
  let api: MembersApi;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = apiUnderTest(MembersApi)));
  afterEach(() => http.verify());

  it('lists members and unknown cards for httpResources', () => {
    expect(api.listRequest({ q: 'ada', page: 2 })).toEqual({
      url: '/api/members',
      params: { q: 'ada', page: 2 },
    });
    expect(api.unknownCardsRequest({ pageSize: 10 })).toEqual({
      url: '/api/unknown-cards',
      params: { pageSize: 10 },
    });
  });

  it('reads, creates and updates a member', async () => {
    const read = api.get('7');
    answer(http, 'GET', '/api/members/7', MEMBER);
    await expect(read).resolves.toEqual(MEMBER);

    const created = api.create(INPUT);
    expect(answer(http, 'POST', '/api/members', MEMBER).body).toEqual(INPUT);
    await expect(created).resolves.toEqual(MEMBER);

    const updated = api.update(7, INPUT);
    expect(answer(http, 'PATCH', '/api/members/7', MEMBER).body).toEqual(INPUT);
    await expect(updated).resolves.toEqual(MEMBER);
  });

  it('deletes, restores and erases a member', async () => {
    const removed = api.remove(7);
    answer(http, 'DELETE', '/api/members/7', { closedSessions: 1 });
    await expect(removed).resolves.toEqual({ closedSessions: 1 });

    const restored = api.restore(7);
    expect(answer(http, 'POST', '/api/members/7/restore', MEMBER).body).toEqual({});
    await expect(restored).resolves.toEqual(MEMBER);

    const erased = api.erase(7);
    expect(answer(http, 'POST', '/api/members/7/erase', { erased: true }).body).toEqual({});
    await expect(erased).resolves.toEqual({ erased: true });
  });

  it('asks for a password reset email for the member', async () => {
    const sent = api.sendPasswordReset(7);
    expect(answer(http, 'POST', '/api/password-resets').body).toEqual({ memberId: 7 });
    await expect(sent).resolves.toBeUndefined();
  });

  it('sends a CSV file as it is, dry run or not, with the default role when chosen', async () => {
    const csv = new TextEncoder().encode('name,surname\nAda,Lovelace\n').buffer;
    const result = { created: 1 } as MemberImportResult;

    const checked = api.import(csv, { dryRun: true, defaultRole: 'Member' });
    const check = answer(http, 'POST', '/api/members/import?dryRun=true&defaultRole=Member', result);
    expect(check.body).toBe(csv);
    expect(check.headers.get('content-type')).toBe('text/csv');
    await expect(checked).resolves.toEqual(result);

    const imported = api.import(csv, { dryRun: false });
    answer(http, 'POST', '/api/members/import?dryRun=false', result);
    await expect(imported).resolves.toEqual(result);
  });
});
