import {
  pbkdf2 as pbkdf2Callback,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
} from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string | Buffer,
  salt: string | Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const pbkdf2 = promisify(pbkdf2Callback);

const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** Our format: `scrypt$N$r$p$salt$hash` (base64url). Memory-hard, built into Node, no native addon. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export interface PasswordCheck {
  readonly valid: boolean;
  /** The hash is in an older format (legacy FabOMatic / Werkzeug): store a new one after login. */
  readonly needsRehash: boolean;
}

const INVALID: PasswordCheck = { valid: false, needsRehash: false };

function same(actual: Buffer, expected: Buffer): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Verifies a password against our hashes and the legacy backend's Werkzeug ones:
 * `scrypt:32768:8:1$salt$hexhash` and `pbkdf2:sha256:600000$salt$hexhash`.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<PasswordCheck> {
  if (!stored) return INVALID;
  if (stored.startsWith('scrypt$')) {
    const [, n, r, p, salt, hash] = stored.split('$');
    if (!n || !r || !p || !salt || !hash) return INVALID;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: MAX_MEMORY,
    });
    return { valid: same(actual, expected), needsRehash: false };
  }
  const [method, salt, hash] = stored.split('$');
  if (!method || salt === undefined || !hash || !/^[0-9a-f]+$/i.test(hash)) return INVALID;
  const expected = Buffer.from(hash, 'hex');
  const parts = method.split(':');
  if (parts[0] === 'scrypt') {
    const [n = '32768', r = '8', p = '1'] = parts.slice(1);
    // Werkzeug: hashlib.scrypt(password, salt=salt.encode(), n, r, p, maxmem=132 * n * r * p), 64 bytes
    const actual = await scrypt(password, salt, expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: Math.max(MAX_MEMORY, 132 * Number(n) * Number(r) * Number(p)),
    });
    return { valid: same(actual, expected), needsRehash: true };
  }
  if (parts[0] === 'pbkdf2') {
    const digest = parts[1] ?? 'sha256';
    const iterations = Number(parts[2] ?? 600000);
    if (!['sha256', 'sha512', 'sha1'].includes(digest) || !Number.isSafeInteger(iterations)) return INVALID;
    const actual = await pbkdf2(password, salt, iterations, expected.length, digest);
    return { valid: same(actual, expected), needsRehash: true };
  }
  return INVALID;
}
