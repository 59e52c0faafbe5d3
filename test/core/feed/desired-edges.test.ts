// desiredSet and the allow-list at their edges: scores of 1, allow-lists of one kind only, one bad entry.
import { describe, expect, it } from 'vitest';
import { checkScores, compileAllowList, desiredSet, isAllowed } from '../../../scripts/core/feed/desired.ts';
import { ConfigError } from '../../../scripts/core/errors.ts';

const feed = new Map([
  ['192.0.2.1', 1],
  ['192.0.2.2', 2],
  ['192.0.2.3', 3],
  ['198.51.100.7', 5],
]);
const none = compileAllowList([]);

describe('scores at their edges', () => {
  it('minScore 1 and exitScore 1 take every listed IP', () => {
    expect([...desiredSet({ feed, live: new Set(), allowList: none, minScore: 1, exitScore: 1 }).keys()]).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
      '198.51.100.7',
    ]);
  });

  it('without exitScore there is no hysteresis: a live IP below minScore leaves', () => {
    const desired = desiredSet({ feed, live: new Set(['192.0.2.2', '192.0.2.3']), allowList: none, minScore: 3 });
    expect([...desired]).toEqual([
      ['192.0.2.3', 3],
      ['198.51.100.7', 5],
    ]);
  });

  it('exitScore equal to minScore is accepted; 1 ≤ exitScore ≤ minScore', () => {
    expect(() => checkScores(1, 1)).not.toThrow();
    expect(() => checkScores(4, 4)).not.toThrow();
    expect(() => checkScores(4, 1)).not.toThrow();
    expect(() => checkScores(1.5, 1)).toThrow(
      new ConfigError('feed.minScore in the watchlist definition must be a whole number ≥ 1, found 1.5.'),
    );
    expect(() => checkScores(4, 3, 'ipsum')).not.toThrow();
    expect(() => checkScores(4, 0, 'ipsum')).toThrow(
      new ConfigError(
        'feed.exitScore in watchlists/ipsum.yaml must be a whole number from 1 to minScore (4), found 0.',
        'watchlists/ipsum.yaml',
        'An IP enters at minScore and stays while its count is at least exitScore; set exitScore = minScore to turn hysteresis off.',
      ),
    );
    expect(() => checkScores(0, 0, 'ipsum')).toThrow(
      new ConfigError('feed.minScore in watchlists/ipsum.yaml must be a whole number ≥ 1, found 0.', 'watchlists/ipsum.yaml'),
    );
  });
});

describe('allow-lists of one kind', () => {
  it('single addresses only (no CIDR ranges) still screen', () => {
    const allow = compileAllowList(['192.0.2.2', '198.51.100.7']);
    expect(allow.ranges).toEqual([]);
    expect([...desiredSet({ feed, live: new Set(), allowList: allow, minScore: 1 }).keys()]).toEqual(['192.0.2.1', '192.0.2.3']);
  });

  it('ranges only', () => {
    const allow = compileAllowList(['192.0.2.0/31']);
    expect(allow.addresses.size).toBe(0);
    expect([...desiredSet({ feed, live: new Set(), allowList: allow, minScore: 1 }).keys()]).toEqual([
      '192.0.2.2',
      '192.0.2.3',
      '198.51.100.7',
    ]);
  });

  it('isAllowed: addresses, ranges, and never what is not an address', () => {
    const allow = compileAllowList(['192.0.2.9', '10.0.0.0/8']);
    expect(['192.0.2.9', '192.0.2.8', '10.255.255.255', '11.0.0.0', 'not-an-ip', ''].map((ip) => isAllowed(allow, ip))).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(isAllowed(none, '192.0.2.9')).toBe(false);
  });

  it('one invalid entry: singular, and without an alias no file is named', () => {
    expect(() => compileAllowList(['10.0.0.1/8'])).toThrow(
      new ConfigError(
        'feed.allowList in the watchlist definition has 1 invalid entry: "10.0.0.1/8": host bits are set; did you mean 10.0.0.0/8?',
        undefined,
        'Each entry is an IPv4 address (203.0.113.7) or a CIDR range with its network address (203.0.113.0/24).',
      ),
    );
  });
});
