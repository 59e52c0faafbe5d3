// parseIpsum at the edges of its hand-written scanner, and RFC 2822 dates at theirs.
import { describe, expect, it } from 'vitest';
import { parseIpsum, parseRfc2822 } from '../../../scripts/core/feed/ipsum.ts';

const HEADER = '# Last update: Sat, 22 Aug 2026 03:00:29 +0200\n';
const COUNT = (text: string) => `count "${text}" is not a positive integer (1 to 999999)`;

describe('parseIpsum: the whole result', () => {
  it('a feed without a last-update line has neither field (not even undefined ones)', () => {
    expect(parseIpsum('# IPsum\n1.2.3.4\t5\n')).toStrictEqual({
      entries: new Map([['1.2.3.4', 5]]),
      headerLines: 1,
      problems: [],
      lines: 2,
      dataLines: 1,
    });
  });

  it('the first last-update line counts; a later one is a header line only', () => {
    const feed = parseIpsum(`${HEADER}# Last update: Sun, 23 Aug 2026 03:00:29 +0200\n1.2.3.4\t5\n`);
    expect([feed.lastUpdate, feed.lastUpdateText, feed.headerLines]).toStrictEqual([
      '2026-08-22T01:00:29Z',
      'Sat, 22 Aug 2026 03:00:29 +0200',
      2,
    ]);
  });

  it('an empty line first, 0.0.0.0, multi-digit and six-digit counts', () => {
    const feed = parseIpsum(`\n${HEADER}0.0.0.0\t12\n1.2.3.4\t999999\n`);
    expect([...feed.entries]).toStrictEqual([
      ['0.0.0.0', 12],
      ['1.2.3.4', 999999],
    ]);
    expect([feed.lines, feed.dataLines, feed.problems]).toStrictEqual([4, 2, []]);
  });
});

describe('parseIpsum: refused counts and lines', () => {
  it.each([
    ['1.2.3.4\t1000000', COUNT('1000000')],
    ['1.2.3.4\t04', COUNT('04')],
    ['1.2.3.4\t4a', COUNT('4a')],
    ['1.2.3.4\t-4', COUNT('-4')],
    ['1.2.3.4\t4 ', COUNT('4 ')],
    ['1.2.3.4\t', COUNT('')],
    ['0.0.0.0\tx', COUNT('x')],
    ['1.2.3.4\t12345678901234567890123', COUNT('1234567890123456789…')],
    ['\t4', 'not a dotted-quad IPv4 address (expected four decimal octets like 192.0.2.1)'],
    ['1.2.3.4\t4\t5', 'expected "IPv4<TAB>count", found 2 TABs'],
    ['a:b\t4\t5', 'expected "IPv4<TAB>count", found 2 TABs'],
    ['1.2.3.4 4', 'expected "IPv4<TAB>count", found no TAB'],
    ['100.100.100.1000\t4', 'octet 1000 is greater than 255'],
  ])('%j: %s', (line, reason) => {
    const feed = parseIpsum(`${HEADER}${line}\n1.1.1.1\t3\n`);
    expect(feed.problems).toStrictEqual([{ line: 2, text: line, reason }]);
    expect([...feed.entries]).toStrictEqual([['1.1.1.1', 3]]);
  });

  it('a malformed line is quoted up to 100 characters', () => {
    const exact = 'x'.repeat(100);
    const long = 'y'.repeat(101);
    const feed = parseIpsum(`${exact}\n${long}\n`);
    expect(feed.problems.map((p) => p.text)).toStrictEqual([exact, `${'y'.repeat(99)}…`]);
  });
});

describe('parseRfc2822 at its edges', () => {
  it.each([
    [' Sat, 22 Aug 2026 03:00:29 +0200 ', '2026-08-22T01:00:29Z'],
    ['22 Aug 2026 03:00 GMT', '2026-08-22T03:00:00Z'],
    ['Sat, 22 Aug 2026 23:59:60 -0130', '2026-08-23T01:29:59Z'],
    ['Sat, 22 AUG 2026 00:00:00 Z', '2026-08-22T00:00:00Z'],
    ['Mon, 29 Feb 2028 12:00:00 +0000', '2028-02-29T12:00:00Z'],
  ])('%j → %s', (text, iso) => {
    expect(parseRfc2822(text)).toBe(iso);
  });

  it.each([
    'Sat, 22 Aug 2026 24:00:00 +0000',
    'Sat, 22 Aug 2026 23:60:00 +0000',
    'Sat, 22 Aug 2026 23:59:61 +0000',
    'Sun, 29 Feb 2026 12:00:00 +0000',
  ])('%j is no date', (text) => {
    expect(parseRfc2822(text)).toBeUndefined();
  });
});
