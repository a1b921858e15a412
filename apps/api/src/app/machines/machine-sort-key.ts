/**
 * The key machines sort by, so that names sort as people read them: `MACHINE2` before `MACHINE10`.
 * Lower case, and every run of digits written as its length (two digits) then the number without
 * leading zeros, so a plain string comparison orders numbers by value (`2` → `012`, `10` → `0210`)
 * on SQLite and PostgreSQL alike. Equal keys (`M02`, `m2`) fall back to the name, then the id.
 */
export function machineNameSortKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => {
    const number = digits.replace(/^0+(?=\d)/, '');
    return String(number.length).padStart(2, '0') + number;
  });
}

/** Widest key a 100-character name can give (every other character a lone digit: 3 for 1). */
export const MACHINE_SORT_KEY_LENGTH = 300;

/** Two machine names in the order of their sort keys (then as written): for sorting in memory. */
export function compareMachineNames(a: string, b: string): number {
  const [keyA, keyB] = [machineNameSortKey(a), machineNameSortKey(b)];
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
