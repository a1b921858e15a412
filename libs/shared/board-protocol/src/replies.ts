import { toLcdText } from './lcd-text';
import type { BoardAction } from './messages';

/**
 * The board's MQTT buffer is 300 bytes: a PUBLISH must fit whole, so payload ≤ 295 − len(topic).
 */
const BOARD_BUFFER_BYTES = 300;
const PUBLISH_OVERHEAD_BYTES = 5;

/**
 * The UTF-8 size of `text`, counted without encoding it (a reply is measured on every board answer).
 * A lone surrogate counts 3 bytes, as the U+FFFD that encoders write for it.
 */
export function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function maxPayloadBytes(topic: string): number {
  return BOARD_BUFFER_BYTES - PUBLISH_OVERHEAD_BYTES - byteLength(topic);
}

/** 0 denied/unknown, 1 member, 2 staff (maintenance), 3 admin (authorize all). */
export type BoardUserLevel = 0 | 1 | 2 | 3;

export interface CheckUserReply {
  readonly request_ok: true;
  readonly is_valid: boolean;
  readonly level: BoardUserLevel;
  readonly name: string;
  readonly missing_auth: boolean;
}

export interface CheckMachineReply {
  readonly request_ok: true;
  readonly is_valid: boolean;
  readonly allowed: boolean;
  readonly maintenance: boolean;
  readonly logoff: number;
  readonly grace: number;
  readonly name: string;
  readonly description: string;
  readonly type: number;
}

export interface SimpleReply {
  readonly request_ok: boolean;
  readonly message: string;
}

export type BoardReply = CheckUserReply | CheckMachineReply | SimpleReply;

export function grantedUserReply(name: string, level: Exclude<BoardUserLevel, 0>): CheckUserReply {
  return { request_ok: true, is_valid: true, level, name: toLcdText(name), missing_auth: false };
}

/** A denial is still `request_ok:true`: `false` would make the board grant from its offline cache. */
export function deniedUserReply(missingAuthorization = false): CheckUserReply {
  return { request_ok: true, is_valid: false, level: 0, name: '', missing_auth: missingAuthorization };
}

const UINT16_MAX = 65535;
function uint16(n: number): number {
  return Math.min(UINT16_MAX, Math.max(0, Math.round(n)));
}

export interface MachineReplyInput {
  readonly allowed: boolean;
  readonly maintenance: boolean;
  readonly logoffMinutes: number;
  readonly graceMinutes: number;
  readonly name: string;
  readonly description: string;
  readonly typeId: number;
}

export function knownMachineReply(input: MachineReplyInput): CheckMachineReply {
  return {
    request_ok: true,
    is_valid: true,
    allowed: input.allowed,
    maintenance: input.maintenance,
    logoff: uint16(input.logoffMinutes),
    grace: uint16(input.graceMinutes),
    name: toLcdText(input.name),
    description: input.maintenance ? toLcdText(input.description) : '',
    type: uint16(input.typeId),
  };
}

/** Unknown machine id: valid JSON the board ignores (`is_valid:false`), never `request_ok:false`. */
export function unknownMachineReply(): CheckMachineReply {
  return {
    request_ok: true,
    is_valid: false,
    allowed: false,
    maintenance: false,
    logoff: 0,
    grace: 0,
    name: '',
    description: '',
    type: 0,
  };
}

export function simpleReply(ok: boolean, message: string): SimpleReply {
  return { request_ok: ok, message: toLcdText(message, 64) };
}

/**
 * The reply that refuses a query of `action` without granting anything: a denied card for
 * `checkuser`, an unknown machine for `checkmachine`, else `request_ok:false` with `message`.
 */
export function refusalReply(action: BoardAction | undefined, message: string): BoardReply {
  switch (action) {
    case 'checkuser':
      return deniedUserReply();
    case 'checkmachine':
      return unknownMachineReply();
    case 'startuse':
    case 'inuse':
    case 'stopuse':
    case 'maintenance':
    case 'alive':
    case undefined:
      return simpleReply(false, message);
  }
}

/**
 * Serialises a reply for `topic`, guaranteeing it fits the board's buffer: optional text fields are
 * shortened first; a reply that still cannot fit is a programming error.
 */
export function encodeReply(topic: string, reply: BoardReply): string {
  const limit = maxPayloadBytes(topic);
  let json = JSON.stringify(reply);
  if (byteLength(json) <= limit) return json;
  const trimmed: Record<string, unknown> = { ...reply };
  for (const key of ['message', 'description', 'name'] as const) {
    if (key in trimmed) trimmed[key] = '';
    json = JSON.stringify(trimmed);
    if (byteLength(json) <= limit) return json;
  }
  throw new RangeError(`reply for ${topic} does not fit the board buffer (${byteLength(json)} > ${limit})`);
}
