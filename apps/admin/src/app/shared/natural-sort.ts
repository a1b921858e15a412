/**
 * Names in the order people read them: numbers by value (`MACHINE2` before `MACHINE10`), case and
 * accents aside. The API sorts machines the same way (a stored sort key); this is for lists sorted
 * in the page itself.
 */
const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNatural(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}

/** A copy of `items` sorted by `name` in natural order (stable: equal names keep their order). */
export function sortByName<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((a, b) => compareNatural(name(a), name(b)));
}
