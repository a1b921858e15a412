import { randomBytes } from 'node:crypto';

/** A setting of the lab the specs run against (playwright.config.ts sets them for every worker). */
export function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (playwright.config.ts sets it)`);
  return value;
}

/** Topic ids of one Playwright worker: its own range of this many (five workers fit under 65,536). */
const TOPIC_ID_RANGE = 10_000;
/** The next topic id of this worker's range, from a random start (a worker restarted elsewhere). */
let nextTopicId: number | null = null;

/**
 * A topic id no seeded machine (they are under 10,000) and no other test of the run uses: one
 * worker's ids come one after the other from a random start in its own range. Drawn at random each
 * time, two of a run's ~15 collided now and then (a flaky "topic id taken").
 */
export function uniqueTopicId(): string {
  const slot = Number(process.env['TEST_PARALLEL_INDEX'] ?? 0) % 5;
  nextTopicId ??= randomBytes(2).readUInt16BE() % TOPIC_ID_RANGE;
  const id = 10_000 + slot * TOPIC_ID_RANGE + (nextTopicId % TOPIC_ID_RANGE);
  nextTopicId++;
  return String(id);
}
