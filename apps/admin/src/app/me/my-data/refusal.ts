import type { MyRefusedTapDto } from '@fabomatic/contracts';
import { type Message, message } from '../../shared/message';

/** Reasons phrased for the member in plain words (`my-data.refused.reasons.<reason>`). */
const PHRASED = new Set<string>([
  'unknown-card',
  'unknown-machine',
  'member-disabled',
  'member-deleted',
  'no-authorization',
  'authorization-expired',
  'machine-blocked',
  'machine-retired',
  'machine-out-of-order',
  'nothing-due',
  'not-a-maintainer',
  'authorization-suspended',
  'authorization-revoked',
  'authorization-pending',
]);

/** Reasons with the date the authorization lapsed on (`<reason>-undated` when it is not known). */
const DATED = new Set<string>(['authorization-expired', 'authorization-unused']);

/** "12 March 2027" in the portal language. */
export const longDate = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(iso));

/**
 * Why a tap was refused, as the member reads it: "Your authorization for LASER expired on
 * 12 March 2027", "… lapsed on 3 May 2027: it went unused too long", "Card not registered",
 * "Machine out of order"… Reasons the member has nothing to do with (a board conflict) fall back to
 * the staff wording of `access-reasons`.
 */
export function refusalMessage(tap: MyRefusedTapDto, language: string): Message {
  const machine = tap.machineName ?? '';
  if (DATED.has(tap.reason)) {
    return tap.authorizationExpiresAt
      ? message(`my-data.refused.reasons.${tap.reason}`, {
          machine,
          date: longDate(tap.authorizationExpiresAt, language),
        })
      : message(`my-data.refused.reasons.${tap.reason}-undated`, { machine });
  }
  if (PHRASED.has(tap.reason)) return message(`my-data.refused.reasons.${tap.reason}`, { machine });
  return message(`access-reasons.${tap.reason}`);
}
