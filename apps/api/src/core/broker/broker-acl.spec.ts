import {
  authenticateClient,
  mayPublish,
  maySubscribe,
  mayUseBoardTopic,
  type BrokerAccounts,
} from './broker-acl';

const accounts: BrokerAccounts = {
  board: { username: 'board', password: 'boardpw' },
  backend: { username: 'backend', password: 'backendpw' },
  allowAnonymousBoards: false,
};

describe('broker ACL', () => {
  it('authenticates each account with its own password only', () => {
    expect(authenticateClient(accounts, 'board', Buffer.from('boardpw'))).toBe('board');
    expect(authenticateClient(accounts, 'backend', Buffer.from('backendpw'))).toBe('backend');
    expect(authenticateClient(accounts, 'backend', Buffer.from('boardpw'))).toBeNull();
    expect(authenticateClient(accounts, 'board', undefined)).toBeNull();
    expect(authenticateClient(accounts, 'someone', Buffer.from('boardpw'))).toBeNull();
  });

  it('refuses anonymous clients unless explicitly allowed, then treats them as boards', () => {
    expect(authenticateClient(accounts, undefined, undefined)).toBeNull();
    expect(authenticateClient({ ...accounts, allowAnonymousBoards: true }, undefined, undefined)).toBe(
      'board',
    );
  });

  it('lets boards publish queries but never replies or commands', () => {
    expect(mayPublish('board', 'machine/12', 'machine')).toBe(true);
    expect(mayPublish('board', 'machine/012', 'machine')).toBe(true);
    expect(mayPublish('board', 'machine/12/reply', 'machine')).toBe(false);
    expect(mayPublish('board', 'machine/12/request', 'machine')).toBe(false);
    expect(mayPublish('board', 'other/12', 'machine')).toBe(false);
    expect(mayPublish('board', '$SYS/x', 'machine')).toBe(false);
    expect(mayPublish('backend', 'machine/12/reply', 'machine')).toBe(true);
  });

  it('lets boards subscribe to their reply and request topics only, without wildcards', () => {
    expect(maySubscribe('board', 'machine/12/reply', 'machine')).toBe(true);
    expect(maySubscribe('board', 'machine/12/request', 'machine')).toBe(true);
    expect(maySubscribe('board', 'machine/+/reply', 'machine')).toBe(false);
    expect(maySubscribe('board', 'machine/#', 'machine')).toBe(false);
    expect(maySubscribe('board', 'machine/12', 'machine')).toBe(false);
    expect(maySubscribe('backend', '$share/g/machine/+', 'machine')).toBe(true);
  });
});

describe('board topics with their own account', () => {
  const owned = new Set(['7']);
  const hasOwn = (id: string) => owned.has(id);

  it('lets a per-board account use its own topic only', () => {
    expect(mayUseBoardTopic('7', '7', hasOwn)).toBe(true);
    expect(mayUseBoardTopic('8', '7', hasOwn)).toBe(false);
  });

  it('keeps the shared account off topics that have their own account', () => {
    expect(mayUseBoardTopic('7', undefined, hasOwn)).toBe(false);
    expect(mayUseBoardTopic('8', undefined, hasOwn)).toBe(true);
  });
});
