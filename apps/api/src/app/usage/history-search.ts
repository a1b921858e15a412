import type { EntityManager } from 'typeorm';
import { containing } from '../../core/http/paging';

/** Ids a free-text search selects in the small tables, resolved before the history is read. */
export interface SearchIds {
  /** The lowercase hex prefix of a card UID, when the text is hex. */
  readonly cardPrefix: string | null;
  /** The prefix must be the whole UID (viewers who see card UIDs masked). */
  readonly cardExact: boolean;
  readonly memberIds: readonly number[];
  readonly machineIds: readonly number[];
}

/** Most ids of one table a search turns into an `IN (…)` list (a search matching more is too vague). */
const MAX_SEARCH_IDS = 500;

/**
 * Resolves a history search (`q`) on the small tables first: members by name (and by card prefix,
 * for histories without card column), machines by name. The history is then read with `IN (…)` on
 * its indexed id columns and a range on its card index, never a LIKE over millions of rows.
 */
export async function searchIds(
  em: EntityManager,
  q: string,
  options: { readonly membersByCard: boolean; readonly wholeCardOnly: boolean },
): Promise<SearchIds> {
  const text = q.trim().toLowerCase();
  // Four hex digits at least: a shorter "card" (ada, fab) is a name, and would select a sixteenth
  // of all history to sort. Who sees cards masked matches only a whole UID: prefixes searched one
  // digit at a time would spell every card out.
  const cardExact = options.wholeCardOnly;
  const card = cardExact ? /^(?:[0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/ : /^[0-9a-f]{4,20}$/;
  const cardPrefix = card.test(text) ? text : null;
  const like = containing(text);
  const members = em
    .createQueryBuilder()
    .select('mb.id', 'id')
    .from('members', 'mb')
    .where(`LOWER(mb.name || ' ' || mb.surname) LIKE :like ESCAPE '\\'`, { like });
  if (options.membersByCard && cardPrefix !== null) {
    const range = cardRange(cardPrefix);
    members.orWhere(
      cardExact
        ? 'mb."cardUid" = :from'
        : range.below === null
          ? 'mb."cardUid" >= :from'
          : 'mb."cardUid" >= :from AND mb."cardUid" < :below',
      range,
    );
  }
  const machines = em
    .createQueryBuilder()
    .select('m.id', 'id')
    .from('machines', 'm')
    .where(`LOWER(m.name) LIKE :like ESCAPE '\\'`, { like });
  const [memberRows, machineRows] = await Promise.all([
    members.limit(MAX_SEARCH_IDS).getRawMany<{ id: number | string }>(),
    machines.limit(MAX_SEARCH_IDS).getRawMany<{ id: number | string }>(),
  ]);
  return {
    cardPrefix,
    cardExact,
    memberIds: memberRows.map((r) => Number(r.id)),
    machineIds: machineRows.map((r) => Number(r.id)),
  };
}

/**
 * The card UIDs starting with a lowercase hex prefix as a range of the card index: `>= prefix` and
 * `<` the next prefix of the same length (none after `ff…`). A range, not `LIKE 'ab%'`, because
 * PostgreSQL's indexes under a locale collation cannot serve LIKE, and hex digits sort the same in
 * every collation.
 */
function cardRange(prefix: string): { from: string; below: string | null } {
  const digits = prefix.split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const value = parseInt(digits[i] ?? '', 16);
    if (value < 15) {
      return { from: prefix, below: [...digits.slice(0, i), (value + 1).toString(16)].join('') };
    }
  }
  return { from: prefix, below: null };
}

/** The search as one condition of a history query: card range, or members, or machines. */
export function searchCondition(
  alias: string,
  ids: SearchIds,
  columns: { readonly card: boolean },
): { where: string; params: Record<string, unknown> } {
  const terms: string[] = [];
  const params: Record<string, unknown> = {};
  if (columns.card && ids.cardPrefix !== null) {
    const range = cardRange(ids.cardPrefix);
    terms.push(
      ids.cardExact
        ? `${alias}."cardUid" = :cardFrom`
        : range.below === null
          ? `${alias}."cardUid" >= :cardFrom`
          : `(${alias}."cardUid" >= :cardFrom AND ${alias}."cardUid" < :cardBelow)`,
    );
    Object.assign(params, { cardFrom: range.from, cardBelow: range.below });
  }
  if (ids.memberIds.length > 0) {
    terms.push(`${alias}."memberId" IN (:...searchMembers)`);
    params['searchMembers'] = ids.memberIds;
  }
  if (ids.machineIds.length > 0) {
    terms.push(`${alias}."machineId" IN (:...searchMachines)`);
    params['searchMachines'] = ids.machineIds;
  }
  return { where: terms.length === 0 ? '1 = 0' : `(${terms.join(' OR ')})`, params };
}
