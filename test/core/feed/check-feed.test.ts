import { describe, expect, it } from 'vitest';
import { assertFeed, checkFeed, malformedLimit } from '../../../scripts/core/feed/check-feed.ts';
import { parseIpsum } from '../../../scripts/core/feed/ipsum.ts';
import { InputError } from '../../../scripts/core/errors.ts';
import { syntheticFeed } from '../../support/feed-server.ts';

const options = { minIps: 500, alias: 'ipsum', source: 'https://example.test/ipsum.txt' };
const check = (text: string, opts = options) => checkFeed(text, parseIpsum(text), opts);

describe('checkFeed', () => {
  it('accepts a sound feed', () => {
    expect(check(syntheticFeed({ ips: 600 }))).toBeUndefined();
  });

  it.each([
    ['empty body', '', 'feed.empty', 'is empty'],
    ['whitespace only', '\n\n  \n', 'feed.empty', 'whitespace only'],
    ['HTML page served with 200', '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n', 'feed.html', 'HTML page'],
    ['HTML after blank lines', '\n\n<html lang="en">\n', 'feed.html', 'HTML page'],
    ['no # header', '192.0.2.1\t4\n'.repeat(600), 'feed.header', "no '#' header lines"],
    ['header without last update', '# IPsum\n#\n' + '192.0.2.1\t4\n', 'feed.header', "no '# Last update:' line"],
    ['unreadable last update', '# Last update: tomorrow-ish\n192.0.2.1\t4\n', 'feed.header', '"tomorrow-ish"'],
    ['too few IPs', syntheticFeed({ ips: 499 }), 'feed.too-few', 'lists 499 IPs, fewer than the 500 required'],
  ])('refuses %s', (_name, text, code, fragment) => {
    const refusal = check(text);
    expect(refusal?.code).toBe(code);
    expect(refusal?.message).toContain(fragment);
    expect(refusal?.message).toContain('https://example.test/ipsum.txt');
    expect(refusal?.hint.length).toBeGreaterThan(20);
  });

  it('refuses a body cut mid-line and quotes the partial line with its number', () => {
    const full = syntheticFeed({ ips: 600 });
    const text = full.slice(0, full.length - 4); // the last line "198.18.2.87\t10\n" loses its tab and count
    const refusal = check(text);
    expect(refusal?.code).toBe('feed.truncated');
    expect(refusal?.message).toContain(`line ${7 + 600}`);
    expect(refusal?.message).toContain('"198.18.2.8');
  });

  it('names the setting to change when too few IPs', () => {
    const refusal = check(syntheticFeed({ ips: 10 }));
    expect(refusal?.message).toContain('feed.fetch.minIps in watchlists/ipsum.yaml');
  });

  it('skips up to the malformed-line limit and refuses beyond it, listing the first five line numbers', () => {
    const limit = malformedLimit(600 + 11);
    expect(limit).toBe(10);
    const tolerated = syntheticFeed({ ips: 600, extra: Array.from({ length: 10 }, (_, i) => `bad line ${i}`) });
    expect(check(tolerated)).toBeUndefined();
    const refused = syntheticFeed({ ips: 600, extra: Array.from({ length: 11 }, (_, i) => `bad line ${i}`) });
    const refusal = check(refused);
    expect(refusal?.code).toBe('feed.malformed');
    expect(refusal?.message).toContain('11 malformed lines of 611 (at most 10 are skipped)');
    const first = 7 + 600 + 1;
    expect(refusal?.message).toContain(`line ${first}: expected "IPv4<TAB>count"`);
    expect(refusal?.message).toContain(`line ${first + 4}:`);
    expect(refusal?.message).not.toContain(`line ${first + 5}:`);
  });

  it('scales the malformed limit with the feed size (0.1 %, at least 10)', () => {
    expect([malformedLimit(0), malformedLimit(10_000), malformedLimit(10_001), malformedLimit(120_430)]).toEqual([10, 10, 11, 121]);
  });

  it('assertFeed throws an InputError carrying the code and hint', () => {
    const text = '<html></html>\n';
    expect(() => assertFeed(text, parseIpsum(text), options)).toThrow(InputError);
    expect(() => assertFeed(text, parseIpsum(text), options)).toThrow(/\[feed\.html\]/);
    const good = syntheticFeed({ ips: 600 });
    expect(() => assertFeed(good, parseIpsum(good), options)).not.toThrow();
  });
});
