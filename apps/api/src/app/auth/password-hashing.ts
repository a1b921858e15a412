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
 * The cost a stored hash may ask for: a hash comes from the database (an imported legacy one, a
 * restored backup), and its parameters set the work of every login attempt on it. Beyond these a
 * hash is refused (the member resets the password) rather than letting one login take gigabytes or
 * hours of the thread pool that also serves file reads. Werkzeug's defaults are far inside.
 */
const MAX_SCRYPT_N = 2 ** 17;
const MAX_SCRYPT_R = 16;
const MAX_SCRYPT_P = 4;
/** scrypt needs about 128 × N × r bytes. */
const MAX_SCRYPT_BYTES = 128 * 1024 * 1024;
const MAX_PBKDF2_ITERATIONS = 2_000_000;
/** Bytes of a stored digest (SHA-512's output; scrypt's 64). */
const MAX_DIGEST_BYTES = 64;

function scryptCost(n: number, r: number, p: number): boolean {
  return (
    Number.isSafeInteger(n) &&
    n >= 2 &&
    n <= MAX_SCRYPT_N &&
    (n & (n - 1)) === 0 &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    r <= MAX_SCRYPT_R &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    p <= MAX_SCRYPT_P &&
    128 * n * r <= MAX_SCRYPT_BYTES
  );
}

/**
 * Verifies a password against our hashes and the legacy backend's Werkzeug ones:
 * `scrypt:32768:8:1$salt$hexhash` and `pbkdf2:sha256:600000$salt$hexhash`. A hash asking for more
 * work than the limits above is invalid.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<PasswordCheck> {
  if (!stored) return INVALID;
  if (stored.startsWith('scrypt$')) {
    const [, n, r, p, salt, hash] = stored.split('$');
    if (!n || !r || !p || !salt || !hash) return INVALID;
    if (!scryptCost(Number(n), Number(r), Number(p))) return INVALID;
    const expected = Buffer.from(hash, 'base64url');
    if (expected.length === 0 || expected.length > MAX_DIGEST_BYTES) return INVALID;
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
  if (expected.length > MAX_DIGEST_BYTES) return INVALID;
  const parts = method.split(':');
  if (parts[0] === 'scrypt') {
    const [n = '32768', r = '8', p = '1'] = parts.slice(1);
    if (!scryptCost(Number(n), Number(r), Number(p))) return INVALID;
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
    if (
      !['sha256', 'sha512', 'sha1'].includes(digest) ||
      !Number.isSafeInteger(iterations) ||
      iterations < 1 ||
      iterations > MAX_PBKDF2_ITERATIONS
    )
      return INVALID;
    const actual = await pbkdf2(password, salt, iterations, expected.length, digest);
    return { valid: same(actual, expected), needsRehash: true };
  }
  return INVALID;
}
