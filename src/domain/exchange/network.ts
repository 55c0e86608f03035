/**
 * Source-network allow-lists for agency connections: a connection may be restricted to the
 * networks its calls come from (X-Road Security Servers are reached only from known hosts).
 * Rules:
 * - A CIDR is `address/prefix`, IPv4 (`10.0.0.0/8`) or IPv6 (`2001:db8::/32`, `::` compression,
 *   a dotted IPv4 tail as in `::ffff:10.0.0.0/104`). A bare address is a /32 (IPv4) or /128 (IPv6).
 *   Host bits are cleared: `10.1.2.3/8` is the network `10.0.0.0/8`. IPv4 octets are decimal
 *   without leading zeros (`010` is refused: some parsers read it as octal).
 * - IPv4 and IPv6 are compared in one space: a.b.c.d is the IPv4-mapped `::ffff:a.b.c.d`, so a
 *   client seen as `::ffff:127.0.0.1` (a dual-stack socket) matches `127.0.0.0/8`.
 * - No list, or an empty one, allows every network. Otherwise the client must be in one entry;
 *   an entry that is not a valid CIDR matches nothing, and a client address that cannot be parsed
 *   is allowed only when there is no list.
 */

export interface Cidr {
  readonly version: 4 | 6;
  /** The network address (host bits cleared), as a 32- or 128-bit unsigned integer. */
  readonly network: bigint;
  /** Prefix length: 0–32 for IPv4, 0–128 for IPv6. */
  readonly prefix: number;
}

interface Address {
  version: 4 | 6;
  value: bigint;
}

const DECIMAL = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96

function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!DECIMAL.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Parses the groups on one side of `::` into 16-bit words; a dotted IPv4 tail counts as two. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (allowIpv4Tail && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIpv4(g);
      if (v4 === undefined) return undefined;
      words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(g)) {
      words.push(parseInt(g, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '', false);
    const tail = parseGroups(halves[1] ?? '', true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  }
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

function parseAddress(text: string): Address | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { version: 4, value };
}

function hostMask(bits: number, prefix: number): bigint {
  return (1n << BigInt(bits - prefix)) - 1n;
}

/** Parses `address/prefix` or a bare address; RangeError when it is not one. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) throw new RangeError(`not an IP network (CIDR): ${text}`);
  const bits = bitsOf(address.version);
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!DECIMAL.test(p) || Number(p) > bits) throw new RangeError(`not an IP network (CIDR): ${text}`);
    prefix = Number(p);
  }
  return { version: address.version, network: address.value & ~hostMask(bits, prefix), prefix };
}

export function isValidCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of ≥ 2 zero words as `::`. */
function formatIpv6(value: bigint): string {
  if (value >> 32n === 0xffffn) return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}

/** Canonical `address/prefix` text; parseCidr(formatCidr(c)) equals c. */
export function formatCidr(c: Cidr): string {
  return `${c.version === 4 ? formatIpv4(c.network) : formatIpv6(c.network)}/${c.prefix}`;
}

/** Lifts IPv4 into the IPv4-mapped part of the IPv6 space. */
function asIpv6(a: Address): bigint {
  return a.version === 6 ? a.value : MAPPED_PREFIX | a.value;
}

/**
 * Whether `ip` is in `cidr`. A zone suffix (`fe80::1%eth0`) is ignored; an address that cannot be
 * parsed is in no network.
 */
export function ipInCidr(ip: string, cidr: Cidr): boolean {
  const address = parseAddress(ip.replace(/%[^%]*$/, ''));
  if (!address) return false;
  const prefix = cidr.version === 4 ? cidr.prefix + 96 : cidr.prefix;
  const network = cidr.version === 4 ? MAPPED_PREFIX | cidr.network : cidr.network;
  const mask = ~hostMask(128, prefix);
  return (asIpv6(address) & mask) === (network & mask);
}

/** Whether a call from `ip` passes the allow-list (undefined or empty: any network). */
export function ipAllowed(ip: string, allowList: readonly string[] | undefined): boolean {
  if (!allowList || allowList.length === 0) return true;
  return allowList.some((entry) => isValidCidr(entry) && ipInCidr(ip, parseCidr(entry)));
}
