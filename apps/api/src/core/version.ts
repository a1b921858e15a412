import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of the nearest package.json named `fabomatic` above this file (the install root). */
export function packageRoot(from = __dirname): string | null {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'fabomatic'
    ) {
      return dir;
    }
  }
  return null;
}

/** The product version, from the install root's package.json. */
export function productVersion(): string {
  const root = packageRoot();
  if (!root) return 'unknown';
  return (
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ??
    'unknown'
  );
}
