import { describe, expect, it } from 'vitest';
import { dropReserved, isReservedIPv4, RESERVED_RANGES } from '../../../scripts/core/feed/reserved.ts';

describe('isReservedIPv4', () => {
  it.each([
    ['0.0.0.0', true],
    ['10.255.255.255', true],
    ['100.64.0.0', true],
    ['100.127.255.255', true],
    ['127.0.0.1', true],
    ['169.254.1.1', true],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['192.168.0.1', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    // the first address past each range's edge
    ['1.0.0.0', false],
    ['11.0.0.0', false],
    ['100.63.255.255', false],
    ['100.128.0.0', false],
    ['172.15.255.255', false],
    ['172.32.0.0', false],
    ['192.169.0.0', false],
    ['223.255.255.255', false],
    ['8.8.8.8', false],
  ])('%s → %s', (ip, reserved) => {
    expect(isReservedIPv4(ip)).toBe(reserved);
  });

  it('an address that does not parse is not reserved', () => {
    expect(isReservedIPv4('10.0.0')).toBe(false);
    expect(isReservedIPv4('')).toBe(false);
  });

  it('lists the nine RFC 6890 ranges it checks', () => {
    expect(RESERVED_RANGES).toHaveLength(9);
  });
});

describe('dropReserved', () => {
  it("keeps public addresses with their counts in the feed's order and names the first five dropped", () => {
    const entries = new Map([
      ['10.0.0.1', 3],
      ['8.8.8.8', 4],
      ['127.0.0.1', 5],
      ['192.168.1.1', 2],
      ['1.1.1.1', 7],
      ['172.16.0.1', 1],
      ['224.0.0.5', 9],
      ['169.254.0.1', 6],
      ['9.9.9.9', 1],
    ]);
    const result = dropReserved(entries);
    expect([...result.kept]).toStrictEqual([
      ['8.8.8.8', 4],
      ['1.1.1.1', 7],
      ['9.9.9.9', 1],
    ]);
    expect(result.dropped).toBe(6);
    expect(result.examples).toStrictEqual(['10.0.0.1', '127.0.0.1', '192.168.1.1', '172.16.0.1', '224.0.0.5']);
  });

  it('a feed without reserved addresses comes back whole, with nothing dropped', () => {
    expect(dropReserved(new Map([['8.8.8.8', 4]]))).toStrictEqual({ kept: new Map([['8.8.8.8', 4]]), dropped: 0, examples: [] });
  });
});
