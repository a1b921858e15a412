import { hashPassword, verifyPassword } from '../../app/auth/password-hashing';
import { BoardAccountRegistry, topicIdOfBoardAccount } from './board-accounts';

describe('per-board broker accounts', () => {
  const counting = () => {
    const calls = { count: 0 };
    const registry = new BoardAccountRegistry(async (password, stored) => {
      calls.count++;
      return (await verifyPassword(password, stored)).valid;
    });
    return { registry, calls };
  };

  it('takes topic ids as user names, nothing else', () => {
    expect(topicIdOfBoardAccount('7')).toBe('7');
    expect(topicIdOfBoardAccount('012')).toBe('012');
    for (const name of ['board', 'board-7', '65536', '', '7/reply', '+'])
      expect(topicIdOfBoardAccount(name)).toBeNull();
  });

  it('verifies a password once with scrypt, then from memory; a wrong one never from memory', async () => {
    const { registry, calls } = counting();
    registry.load([{ topicId: '7', passwordHash: await hashPassword('seven-secret') }]);
    expect(registry.ready).toBe(true);
    expect(await registry.verify('7', Buffer.from('seven-secret'))).toBe('7');
    expect(await registry.verify('7', Buffer.from('seven-secret'))).toBe('7');
    expect(calls.count).toBe(1);
    expect(await registry.verify('7', Buffer.from('wrong'))).toBeNull();
    expect(await registry.verify('8', Buffer.from('seven-secret'))).toBeNull();
    expect(await registry.verify('7', undefined)).toBeNull();
    expect(calls.count).toBe(1);
  });

  it('forgets a password on rotate and revoke, and tells the listeners', async () => {
    const { registry } = counting();
    const changed: string[] = [];
    registry.onChange((topicId) => changed.push(topicId));
    registry.load([{ topicId: '7', passwordHash: await hashPassword('old') }]);
    expect(await registry.verify('7', Buffer.from('old'))).toBe('7');
    registry.set('7', await hashPassword('new'));
    expect(await registry.verify('7', Buffer.from('old'))).toBeNull();
    expect(await registry.verify('7', Buffer.from('new'))).toBe('7');
    registry.remove('7');
    expect(await registry.verify('7', Buffer.from('new'))).toBeNull();
    expect(registry.hasAccount('7')).toBe(false);
    expect(changed).toEqual(['7', '7']);
  });

  it('refuses a password whose account was rotated while it was being checked', async () => {
    const { registry } = counting();
    registry.load([{ topicId: '7', passwordHash: await hashPassword('old') }]);
    const rotated = await hashPassword('new');
    const pending = registry.verify('7', Buffer.from('old'));
    registry.set('7', rotated);
    expect(await pending).toBeNull();
  });

  it('runs at most two checks at once; the others wait their turn', async () => {
    let running = 0;
    let most = 0;
    const registry = new BoardAccountRegistry(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return true;
    });
    registry.load(['1', '2', '3', '4', '5'].map((topicId) => ({ topicId, passwordHash: 'scrypt$x' })));
    const results = await Promise.all(
      ['1', '2', '3', '4', '5'].map((id) => registry.verify(id, Buffer.from('p'))),
    );
    expect(results).toEqual(['1', '2', '3', '4', '5']);
    expect(most).toBe(2);
  });
});
