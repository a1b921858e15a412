// Fails when a translation key exists in one language of the portal and not in the other.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'public', 'i18n');
const languages = ['en', 'it'];

/** Every leaf key of a nested translation object, as `a.b.c`. */
function keys(object, prefix = '') {
  return Object.entries(object).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const found = new Map(
  languages.map((lang) => [lang, new Set(keys(JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8'))))]),
);
const problems = [];
for (const lang of languages) {
  for (const other of languages) {
    if (other === lang) continue;
    for (const key of found.get(lang)) {
      if (!found.get(other).has(key)) problems.push(`${key}: in ${lang}.json, missing in ${other}.json`);
    }
  }
}
if (problems.length > 0) {
  console.error(`i18n: ${problems.length} key(s) missing:\n  ${problems.sort().join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${found.get('en').size} keys in ${languages.join(' and ')}`);
