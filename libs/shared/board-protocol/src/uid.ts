const CARD_UID = /^(?:[0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/;

/**
 * Normalises a card UID to lower-case hex. Accepts 4-, 7- and 10-byte UIDs (8, 14, 20 hex chars)
 * in either case, with surrounding spaces; returns null for anything else.
 */
export function normalizeCardUid(input: string): string | null {
  const uid = input.trim().toLowerCase();
  return CARD_UID.test(uid) ? uid : null;
}
