import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The product version: from the nearest package.json named `fabomatic` above this file. */
export function productVersion(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'fabomatic' && manifest.version) return manifest.version;
  }
  return 'unknown';
}
