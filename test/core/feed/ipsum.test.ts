import { describe, expect, it } from 'vitest';
import { parseIpsum, parseRfc2822 } from '../../../scripts/core/feed/ipsum.ts';
import { syntheticFeed } from '../../support/feed-server.ts';

const DOTTED = 'not a dotted-quad IPv4 address (expected four decimal octets like 192.0.2.1)';

const NEW_HEADER = [
  '# IPsum Threat Intelligence Feed',
  '# (https://github.com/stamparm/ipsum)',
  '#',
  '# Last update: Sat, 22 Aug 2026 03:00:29 +0200',
  '#',
  '# IP\tnumber of (black)lists',
  '#',
];
const OLD_HEADER = ['# Last update: Sun, 05 Apr 2020 23:00:12 +0200', '#', '# IP\tnumber of (black)lists', '#'];

describe('parseIpsum', () => {
  it.each([
    ['7-line header (current builds)', NEW_HEADER, '2026-08-22T01:00:29Z'],
    ['4-line header (2020 builds)', OLD_HEADER, '2020-04-05T21:00:12Z'],
  ])('skips a %s by its # prefix and reads the last update', (_name, header, iso) => {
    const feed = parseIpsum([...header, '192.0.2.1\t5', '192.0.2.2\t1', ''].join('\n'));
    expect(feed.headerLines).toBe(header.length);
    expect(feed.lastUpdate).toBe(iso);
    expect([...feed.entries]).toEqual([
      ['192.0.2.1', 5],
      ['192.0.2.2', 1],
    ]);
    expect(feed.lines).toBe(header.length + 2);
    expect(feed.dataLines).toBe(2);
    expect(feed.problems).toEqual([]);
  });

  it('accepts CRLF line endings', () => {
    const text = syntheticFeed({ ips: 3 }).replace(/\n/g, '\r\n');
    const feed = parseIpsum(text);
    expect(feed.problems).toEqual([]);
    expect(feed.lastUpdate).toBe('2026-08-22T01:00:29Z');
    expect([...feed.entries.keys()]).toEqual(['198.18.0.0', '198.18.0.1', '198.18.0.2']);
    expect([...feed.entries.values()]).toEqual([1, 2, 3]);
  });

  it('keeps the highest count of a duplicated IP, in either order', () => {
    const feed = parseIpsum([...NEW_HEADER, '192.0.2.1\t3', '192.0.2.1\t7', '192.0.2.1\t5', '192.0.2.2\t2', ''].join('\n'));
    expect(feed.entries.get('192.0.2.1')).toBe(7);
    expect(feed.entries.size).toBe(2);
    expect(feed.dataLines).toBe(4);
  });

  it('reports every malformed class with its 1-based line number, and keeps the good lines', () => {
    const bad = [
      ['2001:db8::1\t5', 'IPv6 address: only IPv4 is supported'],
      ['2001:db8::2', 'IPv6 address: only IPv4 is supported'],
      ['010.1.1.1\t4', 'leading zero in octet "010" (ambiguous: octal or decimal)'],
      ['10.1.1.01\t4', 'leading zero in octet "01" (ambiguous: octal or decimal)'],
      ['256.1.1.1\t4', 'octet 256 is greater than 255'],
      ['1.2.3\t4', DOTTED],
      ['1.2.3.4.5\t4', DOTTED],
      [' 192.0.2.3\t4', DOTTED],
      ['192.0.2.4\t0', 'count "0" is not a positive integer (1 to 999999)'],
      ['192.0.2.5\t-1', 'count "-1" is not a positive integer (1 to 999999)'],
      ['192.0.2.6\t1.5', 'count "1.5" is not a positive integer (1 to 999999)'],
      ['192.0.2.7\t', 'count "" is not a positive integer (1 to 999999)'],
      ['192.0.2.8\t4\textra', 'expected "IPv4<TAB>count", found 2 TABs'],
      ['192.0.2.9 4', 'expected "IPv4<TAB>count", found no TAB'],
      ['<html>', 'expected "IPv4<TAB>count", found no TAB'],
    ] as const;
    const lines = [...NEW_HEADER, '192.0.2.1\t4', ...bad.map(([line]) => line), '192.0.2.2\t9', ''];
    const feed = parseIpsum(lines.join('\n'));
    expect(feed.problems.map((p) => p.line)).toEqual(bad.map((_, i) => NEW_HEADER.length + 2 + i));
    bad.forEach(([line, reason], i) => {
      expect(feed.problems[i]!.text).toBe(line);
      expect(feed.problems[i]!.reason).toBe(reason);
    });
    expect([...feed.entries.keys()]).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(feed.dataLines).toBe(bad.length + 2);
  });

  it('ignores blank lines and counts a body without a final newline as a line', () => {
    const feed = parseIpsum([...NEW_HEADER, '192.0.2.1\t4', '', '   ', '192.0.2.2\t4'].join('\n'));
    expect(feed.entries.size).toBe(2);
    expect(feed.problems).toEqual([]);
    expect(feed.lines).toBe(NEW_HEADER.length + 4);
  });

  it('ignores a byte-order mark before the header', () => {
    const feed = parseIpsum(`\ufeff${syntheticFeed({ ips: 2 })}`);
    expect(feed.headerLines).toBe(7);
    expect(feed.problems).toEqual([]);
    expect(feed.entries.size).toBe(2);
  });

  it('has no header and no date when there are no # lines', () => {
    const feed = parseIpsum('192.0.2.1\t4\n');
    expect(feed.headerLines).toBe(0);
    expect(feed.lastUpdate).toBeUndefined();
    expect(feed.lastUpdateText).toBeUndefined();
  });

  it('keeps the unreadable last-update text for the message', () => {
    const feed = parseIpsum('# Last update: yesterday\n192.0.2.1\t4\n');
    expect(feed.lastUpdate).toBeUndefined();
    expect(feed.lastUpdateText).toBe('yesterday');
  });
});

describe('parseRfc2822', () => {
  it.each([
    ['Sat, 22 Aug 2026 03:00:29 +0200', '2026-08-22T01:00:29Z'],
    ['Sun, 05 Apr 2020 23:00:12 +0200', '2020-04-05T21:00:12Z'],
    ['Thu, 11 Feb 2021 23:00:04 +0100', '2021-02-11T22:00:04Z'],
    ['1 Jan 2026 00:30:00 -0130', '2026-01-01T02:00:00Z'],
    ['Wed, 31 Dec 2025 23:59 GMT', '2025-12-31T23:59:00Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseRfc2822(text)).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '2026-08-22T01:00:29Z',
    'Sat, 31 Feb 2026 03:00:29 +0200',
    'Sat, 22 Foo 2026 03:00:29 +0200',
    'Sat, 22 Aug 2026 25:00:00 +0200',
  ])('refuses %j', (text) => {
    expect(parseRfc2822(text)).toBeUndefined();
  });
});
