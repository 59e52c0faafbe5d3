// Strict dotted-quad IPv4: four decimal octets 0-255, no leading zeros (010 is octal to some
// parsers and decimal to others: refuse the ambiguity), no whitespace. Values are uint32 numbers.
import { compareText } from '../text/compare.ts';

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * The address as an unsigned 32-bit number, or -1 when `text` (or its part from `start` to `end`,
 * which lets the feed parser validate without slicing) is not a strict dotted quad.
 */
export function ipv4ToUint(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= ZERO && c <= NINE) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - ZERO);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** Why `text` is not a strict dotted quad (call only after ipv4ToUint returned -1). */
export function explainIPv4(text: string): string {
  if (text.includes(':')) return 'IPv6 address: only IPv4 is supported';
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]+$/.test(p))) {
    return 'not a dotted-quad IPv4 address (expected four decimal octets like 192.0.2.1)';
  }
  const zero = parts.find((p) => p.length > 1 && p.startsWith('0'));
  if (zero !== undefined) return `leading zero in octet "${zero}" (ambiguous: octal or decimal)`;
  const big = parts.find((p) => Number(p) > 255);
  if (big !== undefined) return `octet ${big} is greater than 255`;
  return 'not a dotted-quad IPv4 address';
}

export function uintToIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export interface Cidr {
  /** Network address (host bits zero). */
  base: number;
  prefix: number;
  /** Number of addresses covered; a range check avoids 32-bit sign trouble with masks. */
  size: number;
}

/** `a.b.c.d/nn` or a bare address (= /32). Returns an error message for anything else. */
export function parseCidr(text: string): Cidr | { error: string } {
  const entry = text.trim();
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const base = ipv4ToUint(address);
  if (base < 0) return { error: `"${text}": ${explainIPv4(address)}` };
  if (slash < 0) return { base, prefix: 32, size: 1 };
  const prefixText = entry.slice(slash + 1);
  if (!/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefixText)) {
    return { error: `"${text}": prefix length must be a whole number from 0 to 32` };
  }
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    const network = uintToIPv4(base - (base % size));
    return { error: `"${text}": host bits are set; did you mean ${network}/${prefix}?` };
  }
  return { base, prefix, size };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidr.size;
}

/** Numeric order for IPv4 strings; anything that is not an address sorts after, by text. */
export function compareIPv4(a: string, b: string): number {
  const x = ipv4ToUint(a);
  const y = ipv4ToUint(b);
  if (x >= 0 && y >= 0) return x - y;
  if (x >= 0) return -1;
  if (y >= 0) return 1;
  return compareText(a, b);
}
