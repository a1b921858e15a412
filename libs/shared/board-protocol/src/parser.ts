import { z } from 'zod';
import { BOARD_ACTIONS, type BoardAction, type BoardQuery } from './messages';
import { normalizeCardUid } from './uid';

/** Why a payload could not become a {@link BoardQuery}. */
export type BoardParseError =
  'too-large' | 'not-utf8' | 'not-json' | 'not-an-object' | 'unknown-action' | 'invalid-fields';

export type BoardParseResult =
  | { readonly ok: true; readonly query: BoardQuery }
  /** `action` is set when the payload named a known action but its other fields were wrong. */
  | {
      readonly ok: false;
      readonly error: BoardParseError;
      readonly action?: BoardAction;
      readonly detail?: string;
    };

/** Payloads larger than this are not boards talking (their buffer is 300 bytes). */
export const MAX_QUERY_BYTES = 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const uid = z.string().transform((value, ctx) => {
  const normalized = normalizeCardUid(value);
  if (normalized === null) {
    ctx.addIssue({ code: 'custom', message: 'uid must be 8, 14 or 20 hex chars' });
    return z.NEVER;
  }
  return normalized;
});
/** Board clocks count whole seconds; tolerate a float or a numeric string, reject the rest. */
const duration = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .pipe(
    z
      .number()
      .finite()
      .nonnegative()
      .max(10 * 365 * 24 * 3600)
      .transform((n) => Math.floor(n)),
  );
const replay = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('true'), z.literal('false')])
  .optional()
  .transform((v) => v === true || v === 1 || v === 'true');
/**
 * Text a board reports about itself (firmware version, IP address), kept to a safe character set:
 * it is shown in the portal and exported to spreadsheets, and anyone with a board's credentials
 * can send anything (`=HYPERLINK(…)`, markup). Other characters are dropped; empty becomes null.
 */
const boardText = (unsafe: RegExp, max: number) =>
  z
    .unknown()
    .optional()
    .transform((v) => {
      const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
      const kept = raw === null ? '' : raw.replace(unsafe, '').trim().slice(0, max);
      return kept === '' ? null : kept;
    });
const version = boardText(/[^A-Za-z0-9 ._+,:/()#-]/g, 64);
const ipAddress = boardText(/[^0-9A-Fa-f.:%]/g, 45);
const heap = z
  .unknown()
  .optional()
  .transform((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  });
const serial = z
  .unknown()
  .optional()
  .transform((v) => {
    if (typeof v !== 'string') return null;
    const s = v.trim().toLowerCase().replace(/[:-]/g, '');
    return /^[0-9a-f]{12}$/.test(s) ? s : null;
  });

const schemas = {
  checkuser: z.object({ action: z.literal('checkuser'), uid }),
  checkmachine: z.object({ action: z.literal('checkmachine') }),
  alive: z.object({
    action: z.literal('alive'),
    version,
    ip: ipAddress,
    serial,
    heap,
  }),
  startuse: z.object({ action: z.literal('startuse'), uid, replay }),
  inuse: z.object({ action: z.literal('inuse'), uid, duration }),
  stopuse: z.object({ action: z.literal('stopuse'), uid, duration, replay }),
  maintenance: z.object({ action: z.literal('maintenance'), uid, replay }),
} satisfies Record<BoardAction, z.ZodType<BoardQuery>>;

function isBoardAction(value: unknown): value is BoardAction {
  return typeof value === 'string' && (BOARD_ACTIONS as readonly string[]).includes(value);
}

/**
 * Parses a raw MQTT payload from a board. Never throws: every failure is a typed result, so one bad
 * message can never stop the handling of the next.
 */
export function parseBoardQuery(payload: Uint8Array | string): BoardParseResult {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else {
    const problem = rawPayloadProblem(payload);
    if (problem) return { ok: false, error: problem };
    text = utf8.decode(payload);
  }
  if (text.length > MAX_QUERY_BYTES) return { ok: false, error: 'too-large' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not-json' };
  }
  return validateBoardQuery(data);
}

/** Why raw bytes cannot be a board query before decoding them: too large, or not UTF-8. */
function rawPayloadProblem(payload: Uint8Array): 'too-large' | 'not-utf8' | null {
  if (payload.byteLength > MAX_QUERY_BYTES) return 'too-large';
  try {
    utf8.decode(payload);
    return null;
  } catch {
    return 'not-utf8';
  }
}

/** Validates an already JSON-decoded payload (a transport may have decoded it). Never throws. */
export function validateBoardQuery(data: unknown): BoardParseResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: 'not-an-object' };
  }
  const action = (data as { action?: unknown }).action;
  if (!isBoardAction(action)) return { ok: false, error: 'unknown-action' };
  const parsed = schemas[action].safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { ok: false, error: 'invalid-fields', action, detail };
  }
  return { ok: true, query: parsed.data };
}
