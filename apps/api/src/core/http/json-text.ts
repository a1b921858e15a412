import { StreamableFile } from '@nestjs/common';

/** UTF-8 JSON whose value is a `T` (the type documents what parsing it gives). */
export type JsonBytes<T> = Buffer & { readonly __json?: T };

/**
 * A response body already written as JSON, sent as it is (`application/json`): for the large
 * reports, which write their bytes without an object graph that `res.json` would serialise again on
 * the event loop.
 */
export function jsonBody<T>(bytes: JsonBytes<T>): StreamableFile {
  return new StreamableFile(bytes, { type: 'application/json; charset=utf-8', length: bytes.length });
}

const ZERO = 48;
const UINT32_END = 2 ** 32;

/** Decimal digits of a whole number below 2^32. */
function digitCount(value: number): number {
  if (value < 100_000) return value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : 5;
  return value < 1e6 ? 6 : value < 1e7 ? 7 : value < 1e8 ? 8 : value < 1e9 ? 9 : 10;
}

/**
 * Writes JSON into one growing buffer: numbers as digits, ASCII keys byte by byte, anything else
 * through `JSON.stringify`. Writing a 100,000-cell report this way leaves almost nothing for the
 * garbage collector (the strings of `JSON.stringify` or of joined parts were promoted and collected
 * by mark-compacts on the thread that answers the boards).
 */
export class JsonWriter {
  private bytes: Buffer;
  private length = 0;

  constructor(capacity = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Characters known to be ASCII and to need no escape: keys, punctuation, ISO dates. */
  raw(ascii: string): this {
    this.reserve(ascii.length);
    for (let i = 0; i < ascii.length; i++) this.bytes[this.length++] = ascii.charCodeAt(i);
    return this;
  }

  /** Any JSON value, through `JSON.stringify` (names, small objects). */
  value(value: unknown): this {
    const text = JSON.stringify(value);
    this.reserve(Buffer.byteLength(text));
    this.length += this.bytes.write(text, this.length);
    return this;
  }

  /** A number as `JSON.stringify` writes it; whole numbers below 2^32 digit by digit. */
  number(value: number): this {
    if (!(value >= 0 && value < UINT32_END && value === Math.floor(value))) {
      // What JSON.stringify writes: the shortest digits of a finite number, null for the others.
      return this.raw(Number.isFinite(value) ? String(value) : 'null');
    }
    let rest = value >>> 0;
    const digits = digitCount(rest);
    this.reserve(digits);
    let at = this.length + digits;
    this.length = at;
    do {
      this.bytes[--at] = ZERO + (rest % 10);
      rest = (rest / 10) >>> 0;
    } while (rest > 0);
    return this;
  }

  /** `[a,b,…]` of the first `count` numbers of `values`. */
  numbers(values: Float64Array, count = values.length): this {
    this.raw('[');
    for (let i = 0; i < count; i++) {
      if (i > 0) this.raw(',');
      this.number(values[i]);
    }
    return this.raw(']');
  }

  /** The JSON written so far (a view of the buffer, not a copy). */
  done<T>(): JsonBytes<T> {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + more));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}
