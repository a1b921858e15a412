import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The shape of the feature folders (docs/architecture.md, "Domain events"): a change reaches the
 * caches as a domain event, so no feature imports another one's module to reach a cache, and the
 * Nest modules of the features form no cycle.
 */
const APP = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The feature folder of a file under app/, or null for app/'s own files (the root module). */
const featureOf = (file: string): string | null => {
  const parts = relative(APP, file).split(sep);
  return parts.length > 1 ? parts[0] : null;
};

/** The files of app/ a file imports (relative imports that stay under app/). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/from '(\.{1,2}\/[^']+)'/g)]
    .map((match) => resolve(dirname(file), match[1]))
    .filter((target) => !relative(APP, target).startsWith('..'));
}

const files = sourceFiles(APP);

/** feature → features its Nest modules import (modules or providers of another folder). */
function moduleGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files.filter((f) => f.endsWith('.module.ts'))) {
    const from = featureOf(file);
    if (from === null) continue;
    for (const target of importsOf(file)) {
      const to = featureOf(target);
      if (to === null || to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const done = new Set<string>();
  const walk = (node: string, path: string[]): string[] | null => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return null;
    for (const next of graph.get(node) ?? []) {
      const cycle = walk(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = walk(node, []);
    if (cycle) return cycle;
  }
  return null;
}

describe('feature modules', () => {
  it('import each other without a cycle', () => {
    const graph = moduleGraph();
    expect(graph.size).toBeGreaterThan(0);
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['usage', new Set(['boards'])],
      ['boards', new Set(['maintenance', 'usage'])],
    ]);
    expect(findCycle(graph)).toEqual(['usage', 'boards', 'usage']);
  });

  it('reach the caches through domain events, never by calling them', () => {
    const caches = ['boards/directory-cache.ts', 'maintenance/maintenance-cache.ts'];
    const offenders = files
      .filter((file) => !caches.includes(relative(APP, file).split(sep).join('/')))
      .filter((file) => /\.invalidate\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(APP, file));
    expect(offenders).toEqual([]);
  });

  it('keep the boards directory to the boards', () => {
    const users = files
      .filter((file) => featureOf(file) !== 'boards')
      .filter((file) => importsOf(file).some((target) => target.endsWith(join('boards', 'directory-cache'))))
      .map((file) => relative(APP, file));
    expect(users).toEqual([]);
  });
});
