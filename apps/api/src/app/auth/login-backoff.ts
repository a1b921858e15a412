import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';

/** Failures allowed for one identifier before each further one makes it wait. */
export const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** An identifier left alone this long since its last failure starts afresh. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Identifiers remembered at most (the oldest are forgotten first): memory stays bounded under a flood. */
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

/**
 * Exponential back-off per account, whichever address the attempts come from: after
 * {@link FREE_FAILURES} failures for one identifier, each further failure makes it wait 1 s, 2 s,
 * 4 s … at most 15 min. Keyed by the submitted identifier (normalised), whether or not an account
 * has it, so the answer never tells which accounts exist.
 */
export class Backoff {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: Clock,
    private readonly scope: string,
  ) {}

  /** Throws TOO_MANY_REQUESTS while the identifier must wait. */
  check(identifier: string): void {
    const entry = this.entry(identifier);
    const now = this.clock.now().getTime();
    if (entry && entry.blockedUntil > now) {
      const seconds = Math.ceil((entry.blockedUntil - now) / 1000);
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        'TOO_MANY_REQUESTS',
        `too many attempts, try again in ${seconds} s`,
      );
    }
  }

  failed(identifier: string): void {
    const key = this.key(identifier);
    const now = this.clock.now().getTime();
    const entry = this.entry(identifier) ?? { count: 0, lastAt: now, blockedUntil: 0 };
    entry.count += 1;
    entry.lastAt = now;
    if (entry.count >= FREE_FAILURES) {
      const wait = FIRST_WAIT_MS * 2 ** Math.min(entry.count - FREE_FAILURES, 20);
      entry.blockedUntil = now + Math.min(wait, LONGEST_WAIT_MS);
    }
    this.failures.delete(key);
    this.failures.set(key, entry);
    if (this.failures.size > MAX_TRACKED) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  succeeded(identifier: string): void {
    this.failures.delete(this.key(identifier));
  }

  private entry(identifier: string): Failures | undefined {
    const key = this.key(identifier);
    const entry = this.failures.get(key);
    if (entry && this.clock.now().getTime() - entry.lastAt > FORGET_AFTER_MS + LONGEST_WAIT_MS) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private key(identifier: string): string {
    return `${this.scope}:${identifier.trim().toLowerCase()}`;
  }
}

/** The back-offs of sign-in, of "forgot password" and of sign-in link requests (each per email). */
@Injectable()
export class LoginBackoff {
  readonly login: Backoff;
  readonly forgot: Backoff;
  readonly magicLink: Backoff;

  constructor(clock: Clock) {
    this.login = new Backoff(clock, 'login');
    this.forgot = new Backoff(clock, 'forgot');
    this.magicLink = new Backoff(clock, 'magic-link');
  }
}
