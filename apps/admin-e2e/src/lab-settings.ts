import { randomBytes } from 'node:crypto';

/** A setting of the lab the specs run against (playwright.config.ts sets them for every worker). */
export function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (playwright.config.ts sets it)`);
  return value;
}

/** A topic id no seeded machine and (very likely) no other test uses. */
export function uniqueTopicId(): string {
  return String(10_000 + (randomBytes(2).readUInt16BE() % 50_000));
}
