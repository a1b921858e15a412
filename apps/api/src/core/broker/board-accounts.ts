import { createHash, timingSafeEqual } from 'node:crypto';
import { isValidTopicId } from '@fabomatic/board-protocol';
import { verifyPassword } from '../../app/auth/password-hashing';

/**
 * The broker user name of a board's own account: its topic id itself (`machine/7` → `7`). Mosquitto
 * `pattern` ACLs substitute the whole user name (`pattern write machine/%u`), so the same account
 * works on the embedded broker and on Mosquitto with `mosquitto/acl-per-board`.
 */
export function boardAccountUsername(topicId: string): string {
  return topicId;
}

/** The topic id a per-board user name stands for, or null when it is no such name. */
export function topicIdOfBoardAccount(username: string): string | null {
  return isValidTopicId(username) ? username : null;
}

/** Verifications running at once; the rest wait in line (scrypt takes ~32 MB and ~0.1 s each). */
const MAX_RUNNING = 2;
/** Verifications waiting beyond which a CONNECT is refused at once (the board retries later). */
const MAX_WAITING = 200;

function digest(password: Buffer): Buffer {
  return createHash('sha256').update(password).digest();
}

/**
 * The per-board broker accounts the embedded broker accepts (issue 11), by topic id, with the scrypt
 * hash of each password (the database keeps the same hash; the password itself is shown once).
 *
 * A successful verification is remembered (user name + stored hash → SHA-256 of the password), so a
 * board reconnecting, or every board after a Wi-Fi outage, costs a hash lookup, not a scrypt each.
 * Issuing, rotating or revoking an account forgets it and tells the listeners (the broker disconnects
 * that account's live connection).
 */
export class BoardAccountRegistry {
  private readonly hashes = new Map<string, string>();
  private readonly verified = new Map<string, Buffer>();
  private readonly listeners: ((topicId: string) => void)[] = [];
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private loaded = false;

  /** `check`: the password check (the portal's scrypt verification; tests count its calls). */
  constructor(
    private readonly check: (password: string, stored: string) => Promise<boolean> = async (
      password,
      stored,
    ) => (await verifyPassword(password, stored)).valid,
  ) {}

  /** Whether the accounts have been read from the database (until then the broker lets no board in). */
  get ready(): boolean {
    return this.loaded;
  }

  /** All accounts at once, at start-up. */
  load(accounts: Iterable<{ readonly topicId: string; readonly passwordHash: string }>): void {
    this.hashes.clear();
    this.verified.clear();
    for (const { topicId, passwordHash } of accounts) this.hashes.set(topicId, passwordHash);
    this.loaded = true;
  }

  /** Issues or rotates a topic's account: the previous password stops working at once. */
  set(topicId: string, passwordHash: string): void {
    this.forget(topicId);
    this.hashes.set(topicId, passwordHash);
    this.changed(topicId);
  }

  /** Revokes a topic's account. */
  remove(topicId: string): void {
    this.forget(topicId);
    this.hashes.delete(topicId);
    this.changed(topicId);
  }

  /** Whether a topic has its own account (then the shared account may not speak on it). */
  hasAccount(topicId: string): boolean {
    return this.hashes.has(topicId);
  }

  get size(): number {
    return this.hashes.size;
  }

  /** Called with the topic id whenever an account is issued, rotated or revoked. */
  onChange(listener: (topicId: string) => void): void {
    this.listeners.push(listener);
  }

  /**
   * The topic id of the account `username` / `password` opens, or null: no such account, a wrong
   * password, or an account rotated or revoked while its password was being checked.
   */
  async verify(username: string, password: Buffer | undefined): Promise<string | null> {
    const topicId = topicIdOfBoardAccount(username);
    if (topicId === null || !password || password.length > 256) return null;
    const stored = this.hashes.get(topicId);
    if (stored === undefined) return null;
    const key = `${topicId}\u0000${stored}`;
    const given = digest(password);
    const known = this.verified.get(key);
    if (known) return timingSafeEqual(known, given) ? topicId : null;
    if (!(await this.turn())) return null;
    let valid: boolean;
    try {
      valid = await this.check(password.toString('utf8'), stored);
    } finally {
      this.done();
    }
    // Rotated or revoked meanwhile: the hash checked is no longer the account's.
    if (!valid || this.hashes.get(topicId) !== stored) return null;
    this.verified.set(key, given);
    return topicId;
  }

  private forget(topicId: string): void {
    const stored = this.hashes.get(topicId);
    if (stored !== undefined) this.verified.delete(`${topicId}\u0000${stored}`);
  }

  private changed(topicId: string): void {
    for (const listener of this.listeners) listener(topicId);
  }

  /** Waits for a verification slot: false when too many are waiting already. */
  private turn(): Promise<boolean> {
    if (this.running < MAX_RUNNING) {
      this.running++;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= MAX_WAITING) return Promise.resolve(false);
    return new Promise((resolve) => this.waiting.push(() => resolve(true)));
  }

  private done(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
