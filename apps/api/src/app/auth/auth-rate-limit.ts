/**
 * Attempts a minute per client address on login, password change and reset (`AUTH_RATE_LIMIT`);
 * @nestjs/throttler's tracker counts an IPv6 /64 as one client. Per account: login-backoff.ts.
 * Decorators are evaluated before configuration is read: the guard resolves this at request time.
 */
let authAttemptsPerMinute = 10;

export function setAuthRateLimit(perMinute: number): void {
  authAttemptsPerMinute = perMinute;
}

export const authRateLimit = () => authAttemptsPerMinute;
/** "Forgot password" sends email: half the attempts. */
export const forgotRateLimit = () => Math.max(1, Math.floor(authAttemptsPerMinute / 2));
