import { FIRMWARE_PAYLOADS, MALFORMED_PAYLOADS } from '@fabomatic/board-protocol';

/** mulberry32: a tiny deterministic PRNG, so every run publishes the same flood. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.int(0, 15).toString(16);
    return out;
  }
}

export type FuzzKind =
  | 'random-bytes'
  | 'truncated'
  | 'mutated'
  | 'wrong-types'
  | 'huge'
  | 'non-utf8'
  | 'unknown-action'
  | 'not-an-object'
  | 'known-malformed';

export interface FuzzPayload {
  readonly kind: FuzzKind;
  readonly payload: Uint8Array;
}

const KINDS: readonly FuzzKind[] = [
  'random-bytes',
  'truncated',
  'mutated',
  'wrong-types',
  'huge',
  'non-utf8',
  'unknown-action',
  'not-an-object',
  'known-malformed',
];

const WRONG_UIDS = [
  '123',
  'null',
  'true',
  '[]',
  '{}',
  '""',
  '"xyz"',
  '"aabbccd"',
  '"aabbccd1ff"',
  '12345678',
  '"  "',
  '"zzzzzzzz"',
];
const WRONG_DURATIONS = [
  '-5',
  '"abc"',
  '1e20',
  'null',
  '[]',
  'true',
  '"12.5.1"',
  '"-1"',
  '{}',
  '"1e3"',
  '400000000',
];
const WRONG_ACTIONS = ['42', 'null', '["checkuser"]', '{}', 'true', '"CHECKUSER"', '" checkuser"', '""'];
const UNKNOWN_ACTIONS = [
  'reboot',
  'synccache',
  'check user',
  'stop',
  'start',
  'aliv',
  'checkusers',
  'ota',
  '\\u0000',
  'checkuser\\n',
];
const SCALARS = [
  '42',
  '-0',
  '1e999',
  'true',
  'false',
  'null',
  '"checkmachine"',
  '[]',
  '[{"action":"checkmachine"}]',
  '[1,2,3]',
  '0.5',
  '"\\"{}\\""',
];
/** Byte sequences that are not valid UTF-8 (lone continuation, bad lead, truncated, surrogate, overlong). */
const INVALID_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xf0, 0x90, 0x80],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
];
const PUNCTUATION = '{}[]":,\\ 0123456789abcdefnulrtsx-.';

const encoder = new TextEncoder();

/**
 * Deterministic malformed (or merely odd) board payloads. `uids` are cards to put in otherwise
 * well-formed messages, so that some mutated payloads are still valid queries.
 */
export class PayloadFuzzer {
  constructor(
    private readonly rng: Prng,
    private readonly uids: readonly string[],
  ) {}

  next(): FuzzPayload {
    const kind = this.rng.pick(KINDS);
    return { kind, payload: this.make(kind) };
  }

  private firmware(): string {
    const r = this.rng;
    const uid = r.next() < 0.5 ? r.pick(this.uids) : r.hex(8);
    const duration = r.int(0, 100000);
    switch (r.int(0, 10)) {
      case 0:
        return FIRMWARE_PAYLOADS.checkuser(uid);
      case 1:
        return FIRMWARE_PAYLOADS.checkmachine();
      case 2:
        return FIRMWARE_PAYLOADS.alive(r.hex(12), `10.0.0.${r.int(1, 254)}`, r.int(1000, 300000));
      case 3:
        return FIRMWARE_PAYLOADS.aliveLegacy();
      case 4:
        return FIRMWARE_PAYLOADS.startuse(uid);
      case 5:
        return FIRMWARE_PAYLOADS.inuse(uid, duration);
      case 6:
        return FIRMWARE_PAYLOADS.stopuse(uid, duration);
      case 7:
        return FIRMWARE_PAYLOADS.maintenance(uid);
      case 8:
        return FIRMWARE_PAYLOADS.startuseReplay(uid);
      case 9:
        return FIRMWARE_PAYLOADS.stopuseReplay(uid, duration);
      default:
        return FIRMWARE_PAYLOADS.maintenanceReplay(uid);
    }
  }

  private make(kind: FuzzKind): Uint8Array {
    const r = this.rng;
    switch (kind) {
      case 'random-bytes':
        return r.bytes(r.int(0, 300));
      case 'truncated': {
        const text = this.firmware();
        return encoder.encode(text.slice(0, r.int(0, text.length - 1)));
      }
      case 'mutated': {
        const chars = [...this.firmware()];
        const edits = r.int(1, 3);
        for (let e = 0; e < edits; e++) {
          const at = r.int(0, chars.length - 1);
          const op = r.int(0, 2);
          const ch = r.next() < 0.7 ? r.pick([...PUNCTUATION]) : String.fromCharCode(r.int(32, 126));
          if (op === 0) chars.splice(at, 1);
          else if (op === 1) chars.splice(at, 0, ch);
          else chars[at] = ch;
        }
        return encoder.encode(chars.join(''));
      }
      case 'wrong-types': {
        const action = r.pick([
          'checkuser',
          'startuse',
          'inuse',
          'stopuse',
          'maintenance',
          'checkmachine',
          'alive',
        ]);
        switch (r.int(0, 3)) {
          case 0:
            return encoder.encode(
              `{"action":"${action}","uid":${r.pick(WRONG_UIDS)},"duration":${r.int(0, 999)}}`,
            );
          case 1:
            return encoder.encode(
              `{"action":"${action}","uid":"${r.pick(this.uids)}","duration":${r.pick(WRONG_DURATIONS)}}`,
            );
          case 2:
            return encoder.encode(`{"action":${r.pick(WRONG_ACTIONS)},"uid":"${r.pick(this.uids)}"}`);
          default:
            return encoder.encode(
              `{"action":"${action}","uid":"${r.pick(this.uids)}","duration":5,"replay":${r.pick(['"yes"', '2', '[]', 'null', '"TRUE"'])}}`,
            );
        }
      }
      case 'huge': {
        const size = r.int(300, 4000);
        const filler = 'x'.repeat(size);
        switch (r.int(0, 3)) {
          case 0:
            return encoder.encode(`{"action":"checkuser","uid":"${filler}"}`);
          case 1:
            return encoder.encode(
              `{"action":"${r.pick(['checkmachine', 'checkuser', 'alive'])}","uid":"${r.pick(this.uids)}","pad":"${filler}"}`,
            );
          case 2:
            return encoder.encode(`{"action":"${filler}"}`);
          default:
            return r.bytes(size);
        }
      }
      case 'non-utf8': {
        const text = encoder.encode(this.firmware());
        const bad = r.pick(INVALID_UTF8);
        const at = r.int(0, text.length);
        const out = new Uint8Array(text.length + bad.length);
        out.set(text.subarray(0, at), 0);
        out.set(bad, at);
        out.set(text.subarray(at), at + bad.length);
        return out;
      }
      case 'unknown-action':
        return encoder.encode(`{"action":"${r.pick(UNKNOWN_ACTIONS)}","uid":"${r.pick(this.uids)}"}`);
      case 'not-an-object':
        return encoder.encode(r.next() < 0.8 ? r.pick(SCALARS) : String(r.next() * 10 ** r.int(-5, 30)));
      case 'known-malformed': {
        const sample = r.pick(MALFORMED_PAYLOADS);
        return typeof sample === 'string' ? encoder.encode(sample) : sample;
      }
    }
  }
}
