import { isIP } from 'node:net';

/**
 * `TRUST_PROXY`: the exact addresses (or CIDR blocks) of the proxies allowed to set
 * X-Forwarded-For/-Proto, comma-separated; `loopback` for a proxy on the same host; empty or `none`
 * for no proxy. Whole private ranges (`uniquelocal`), `true` or hop counts are refused: anyone in
 * them could then claim any address and escape the per-address limits.
 */
export function parseTrustProxy(value: string): string[] | false {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0 || (entries.length === 1 && entries[0] === 'none')) return false;
  return entries;
}

/** Why a TRUST_PROXY entry is refused, or undefined when it is an address, a CIDR block or `loopback`. */
export function trustProxyEntryProblem(entry: string): string | undefined {
  if (entry === 'loopback') return undefined;
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) {
    return `"${entry}" is not an IP address or CIDR block (e.g. 172.31.250.2, 10.0.0.0/29, loopback)`;
  }
  if (bits === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}": the prefix length must be 0-${max}`;
  return undefined;
}
