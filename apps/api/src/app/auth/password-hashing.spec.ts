import { hashPassword, verifyPassword } from './password-hashing';

describe('password hashing', () => {
  it('verifies our own hashes', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse battery', hash)).toEqual({ valid: true, needsRehash: false });
    expect(await verifyPassword('wrong', hash)).toEqual({ valid: false, needsRehash: false });
  });

  it('accepts a real legacy hash (FabOMatic 0.0.18 seed admin, Werkzeug pbkdf2) and asks for a rehash', async () => {
    const legacy =
      'pbkdf2:sha256:600000$NqoufmwzzXZTiQco$ab5bea7a25179bca6496215bcb661bdad3c50f3a65e8ef240a436b10a998864d';
    expect(await verifyPassword('admin', legacy)).toEqual({ valid: true, needsRehash: true });
    expect(await verifyPassword('Admin', legacy)).toEqual({ valid: false, needsRehash: true });
  });

  it('accepts legacy Werkzeug scrypt hashes', async () => {
    const { scryptSync } = await import('node:crypto');
    const hex = scryptSync('admin', 'AbCdEf12', 64, {
      N: 16384,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    }).toString('hex');
    const made = `scrypt:16384:8:1$AbCdEf12$${hex}`;
    expect(await verifyPassword('admin', made)).toEqual({ valid: true, needsRehash: true });
    expect((await verifyPassword('Admin', made)).valid).toBe(false);
  });

  it('rejects missing and unknown formats', async () => {
    expect((await verifyPassword('x', null)).valid).toBe(false);
    expect((await verifyPassword('x', 'md5$abc$def')).valid).toBe(false);
    expect((await verifyPassword('x', 'garbage')).valid).toBe(false);
  });

  it('refuses a stored hash that asks for more work than a login may take, at once', async () => {
    // Refused before any hashing: hashed, the first would hold a thread-pool thread for hours.
    const digest = 'ab'.repeat(32);
    for (const crafted of [
      `pbkdf2:sha256:999999999999$salt$${digest}`,
      `pbkdf2:sha256:0$salt$${digest}`,
      `pbkdf2:sha512:600000$salt$${'ab'.repeat(100_000)}`,
      `scrypt:1048576:64:64$salt$${digest}`,
      `scrypt:32768:8:1000$salt$${digest}`,
      `scrypt:30000:8:1$salt$${digest}`,
      `scrypt$1073741824$8$1$c2FsdA$${Buffer.alloc(32).toString('base64url')}`,
      `scrypt$16384$8$1$c2FsdA$${Buffer.alloc(4096).toString('base64url')}`,
    ]) {
      expect([crafted.slice(0, 40), await verifyPassword('x', crafted)]).toEqual([
        crafted.slice(0, 40),
        { valid: false, needsRehash: false },
      ]);
    }
  });
});
