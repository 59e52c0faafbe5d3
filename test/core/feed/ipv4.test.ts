// Strict dotted-quad IPv4: what the feed parser, the allow-list and the diff's order rely on.
import { describe, expect, it } from 'vitest';
import { cidrContains, compareIPv4, explainIPv4, ipv4ToUint, parseCidr, uintToIPv4 } from '../../../scripts/core/feed/ipv4.ts';

const DOTTED = 'not a dotted-quad IPv4 address (expected four decimal octets like 192.0.2.1)';

describe('ipv4ToUint and explainIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['1.2.3.4', 0x01020304],
    ['255.255.255.255', 0xffffffff],
    ['192.0.2.10', 0xc000020a],
    ['10.20.30.40', 0x0a141e28],
  ])('%s → %d', (text, value) => {
    expect(ipv4ToUint(text)).toBe(value);
    expect(uintToIPv4(value)).toBe(text);
  });

  it.each([
    ['10.20.30', DOTTED],
    ['10.20.30.', DOTTED],
    ['10..20.30', DOTTED],
    ['.10.20.30', DOTTED],
    ['1.2.3.a', DOTTED],
    ['1.2.3.4/', DOTTED],
    ['1.2.3.4.5', DOTTED],
    ['1.2.3.-4', DOTTED],
    ['1.2.3.4 ', DOTTED],
    ['1.2.3', DOTTED],
    ['111.222.233.1234', 'octet 1234 is greater than 255'],
    ['1111.2.3.4', 'octet 1111 is greater than 255'],
    ['01.2.3.4', 'leading zero in octet "01" (ambiguous: octal or decimal)'],
    ['1.2.3.00', 'leading zero in octet "00" (ambiguous: octal or decimal)'],
    ['1.2.3.256', 'octet 256 is greater than 255'],
    ['300.2.3.4', 'octet 300 is greater than 255'],
    ['2001:db8::1', 'IPv6 address: only IPv4 is supported'],
  ])('%j is refused: %s', (text, reason) => {
    expect(ipv4ToUint(text)).toBe(-1);
    expect(explainIPv4(text)).toBe(reason);
  });

  it('reads the part between start and end only, with the same checks', () => {
    const line = 'x192.0.2.1\t4';
    expect(ipv4ToUint(line, 1, 10)).toBe(0xc0000201);
    expect(ipv4ToUint(line, 0, 10)).toBe(-1);
    expect(ipv4ToUint(line, 1, 12)).toBe(-1);
    expect(ipv4ToUint('..1.2.3.4', 2)).toBe(0x01020304);
  });

  it('lengths 7 and 15 are the bounds of a dotted quad', () => {
    expect(ipv4ToUint('1.2.3.4')).toBe(0x01020304);
    expect(ipv4ToUint('100.100.100.100')).toBe(0x64646464);
    expect(ipv4ToUint('1.2.3.')).toBe(-1);
    expect(ipv4ToUint('100.100.100.1000')).toBe(-1);
  });

  it('a single zero octet is fine; a zero after other digits is not a leading zero', () => {
    expect(ipv4ToUint('10.0.100.0')).toBe(0x0a006400);
    expect(ipv4ToUint('0.0.0.10')).toBe(10);
  });

  it('explainIPv4 of an address it cannot fault says only what it is not', () => {
    expect(explainIPv4('1.2.3.4')).toBe('not a dotted-quad IPv4 address');
  });
});

describe('parseCidr', () => {
  it.each([
    ['203.0.113.7', { base: 0xcb007107, prefix: 32, size: 1 }],
    [' 203.0.113.7 ', { base: 0xcb007107, prefix: 32, size: 1 }],
    ['203.0.113.0/24', { base: 0xcb007100, prefix: 24, size: 256 }],
    ['0.0.0.0/0', { base: 0, prefix: 0, size: 2 ** 32 }],
    ['10.0.0.0/8', { base: 0x0a000000, prefix: 8, size: 2 ** 24 }],
    ['10.1.2.3/32', { base: 0x0a010203, prefix: 32, size: 1 }],
    ['10.1.2.0/31', { base: 0x0a010200, prefix: 31, size: 2 }],
  ])('%j', (text, cidr) => {
    expect(parseCidr(text)).toStrictEqual(cidr);
  });

  it.each([
    ['10.1.2.3/8', '"10.1.2.3/8": host bits are set; did you mean 10.0.0.0/8?'],
    ['10.1.2.3/24', '"10.1.2.3/24": host bits are set; did you mean 10.1.2.0/24?'],
    ['10.0.0.0/33', '"10.0.0.0/33": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/', '"10.0.0.0/": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/08', '"10.0.0.0/08": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/8x', '"10.0.0.0/8x": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/x8', '"10.0.0.0/x8": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/40', '"10.0.0.0/40": prefix length must be a whole number from 0 to 32'],
    ['10.0.0.0/-1', '"10.0.0.0/-1": prefix length must be a whole number from 0 to 32'],
    ['/8', `"/8": ${DOTTED}`],
    ['nonsense', `"nonsense": ${DOTTED}`],
    ['10.0.0/8', `"10.0.0/8": ${DOTTED}`],
  ])('%j is refused', (text, error) => {
    expect(parseCidr(text)).toStrictEqual({ error });
  });

  it.each(['10.0.0.0/9', '10.0.0.0/19', '10.0.0.0/20', '10.0.0.0/29', '10.0.0.0/30', '0.0.0.0/3'])(
    'every prefix length reads: %s',
    (text) => {
      expect(parseCidr(text)).toMatchObject({ prefix: Number(text.split('/')[1]) });
    },
  );

  it('cidrContains: the first and last address in, the neighbours out', () => {
    const cidr = parseCidr('192.0.2.0/24') as { base: number; prefix: number; size: number };
    expect([0xc0000200, 0xc00002ff, 0xc00001ff, 0xc0000300].map((ip) => cidrContains(cidr, ip))).toEqual([true, true, false, false]);
  });
});

describe('compareIPv4', () => {
  it('numeric order, 0.0.0.0 first; anything else after, by text', () => {
    const list = ['10.0.0.1', 'zz', '9.255.255.255', '0.0.0.0', 'aa', '10.0.0.0', '255.255.255.255'];
    expect([...list].sort(compareIPv4)).toEqual(['0.0.0.0', '9.255.255.255', '10.0.0.0', '10.0.0.1', '255.255.255.255', 'aa', 'zz']);
    expect(compareIPv4('0.0.0.0', 'x')).toBe(-1);
    expect(compareIPv4('x', '0.0.0.0')).toBe(1);
    expect(compareIPv4('0.0.0.1', '0.0.0.0')).toBe(1);
    expect(compareIPv4('0.0.0.0', '0.0.0.1')).toBe(-1);
    expect(compareIPv4('1.1.1.1', '1.1.1.1')).toBe(0);
  });
});
