import { createHash, randomBytes } from 'node:crypto';

/** A new kiosk token: 256 random bits, base64url (43 characters, safe in a URL fragment). */
export function newKioskToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, hex (a token is random: no salt or slow hash needed). */
export function kioskTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token's shape (anything else is refused before any query). */
export function looksLikeKioskToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}
