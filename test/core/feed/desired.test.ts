import { describe, expect, it } from 'vitest';
import { compileAllowList, desiredSet, isAllowed } from '../../../scripts/core/feed/desired.ts';
import { ConfigError } from '../../../scripts/core/errors.ts';

const feed = new Map([
  ['192.0.2.1', 4], // enters
  ['192.0.2.2', 3], // live: stays (hysteresis); not live: stays out
  ['192.0.2.3', 2], // live: leaves
  ['192.0.2.4', 9],
  ['198.51.100.7', 5],
  ['203.0.113.9', 6],
]);

const none = compileAllowList([]);
const base = { feed, minScore: 4, exitScore: 3, allowList: none };

describe('desiredSet', () => {
  it.each([
    ['an IP at minScore enters', '192.0.2.1', new Set<string>(), true],
    ['a live IP that drops to exitScore stays', '192.0.2.2', new Set(['192.0.2.2']), true],
    ['a live IP below exitScore leaves', '192.0.2.3', new Set(['192.0.2.3']), false],
    ['a non-live IP at exitScore does not enter', '192.0.2.2', new Set<string>(), false],
    ['a live IP no longer in the feed leaves', '192.0.2.99', new Set(['192.0.2.99']), false],
  ])('%s', (_name, ip, live, expected) => {
    expect(desiredSet({ ...base, live }).has(ip)).toBe(expected);
  });

  it('keeps the feed count as the score', () => {
    const desired = desiredSet({ ...base, live: new Set(['192.0.2.2']) });
    expect([...desired]).toEqual([
      ['192.0.2.1', 4],
      ['192.0.2.2', 3],
      ['192.0.2.4', 9],
      ['198.51.100.7', 5],
      ['203.0.113.9', 6],
    ]);
  });

  it('without exitScore there is no hysteresis', () => {
    const desired = desiredSet({ feed, minScore: 4, live: new Set(['192.0.2.2']), allowList: none });
    expect(desired.has('192.0.2.2')).toBe(false);
    expect(desired.size).toBe(4);
  });

  it('drops allow-listed addresses and ranges, live or not', () => {
    const desired = desiredSet({
      ...base,
      live: new Set(['192.0.2.2']),
      allowList: compileAllowList(['192.0.2.4', '198.51.100.0/24', '192.0.2.2/32']),
    });
    expect([...desired.keys()]).toEqual(['192.0.2.1', '203.0.113.9']);
  });

  it('refuses a bad allow-list with every bad entry named and the setting to fix', () => {
    const run = () => compileAllowList(['10.0.0.0/8', '10.1.2.3/8', 'nonsense', '10.0.0.0/33'], 'ipsum');
    expect(run).toThrow(
      new ConfigError(
        'feed.allowList in watchlists/ipsum.yaml has 3 invalid entries: "10.1.2.3/8": host bits are set; did you mean 10.0.0.0/8?; ' +
          '"nonsense": not a dotted-quad IPv4 address (expected four decimal octets like 192.0.2.1); "10.0.0.0/33": prefix length must be a whole number from 0 to 32',
        'watchlists/ipsum.yaml',
        'Each entry is an IPv4 address (203.0.113.7) or a CIDR range with its network address (203.0.113.0/24).',
      ),
    );
  });

  const EXIT_HINT =
    'An IP enters at minScore and stays while its count is at least exitScore; set exitScore = minScore to turn hysteresis off.';
  it.each([
    [
      4,
      5,
      new ConfigError(
        'feed.exitScore in the watchlist definition must be a whole number from 1 to minScore (4), found 5.',
        undefined,
        EXIT_HINT,
      ),
    ],
    [
      4,
      0,
      new ConfigError(
        'feed.exitScore in the watchlist definition must be a whole number from 1 to minScore (4), found 0.',
        undefined,
        EXIT_HINT,
      ),
    ],
    [0, 0, new ConfigError('feed.minScore in the watchlist definition must be a whole number ≥ 1, found 0.')],
    [
      4,
      2.5,
      new ConfigError(
        'feed.exitScore in the watchlist definition must be a whole number from 1 to minScore (4), found 2.5.',
        undefined,
        EXIT_HINT,
      ),
    ],
  ])('refuses minScore %d with exitScore %d', (minScore, exitScore, error) => {
    expect(() => desiredSet({ feed, live: new Set(), allowList: none, minScore, exitScore })).toThrow(error);
  });
});

describe('allow-list matcher', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['203.0.113.128/25', '203.0.113.127', false],
    ['203.0.113.128/25', '203.0.113.128', true],
    ['255.255.255.254/31', '255.255.255.255', true],
    [' 192.0.2.7 ', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
  ])('%s contains %s: %s', (entry, ip, expected) => {
    expect(isAllowed(compileAllowList([entry]), ip)).toBe(expected);
  });
});
