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

  const FROM = 'The feed from https://example.test/ipsum.txt';
  const RETRY = 'Nothing was written; the next scheduled run retries.';
  const EMPTY_HINT = `The upstream may be rebuilding; ${RETRY} If it persists, check the feed URL (feed.url in watchlists/ipsum.yaml).`;
  const HTML_HINT = `A proxy, captive portal or error page answered instead of the feed. Open the URL in a browser from the runner's network, fix the URL (feed.url in watchlists/ipsum.yaml) or the proxy; ${RETRY}`;
  const FORMAT_HINT = `The feed format may have changed upstream; compare it with github.com/stamparm/ipsum before changing the parser. ${RETRY}`;
  it.each([
    ['empty body', '', 'feed.empty', `${FROM} is empty.`, EMPTY_HINT],
    ['whitespace only', '\n\n  \n', 'feed.empty', `${FROM} is empty (whitespace only).`, EMPTY_HINT],
    [
      'HTML page served with 200',
      '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n',
      'feed.html',
      `${FROM} is an HTML page, not IPsum's text feed (starts with "<!DOCTYPE html>\n<html><body>Sign in</bod").`,
      HTML_HINT,
    ],
    [
      'HTML after blank lines',
      '\n\n<html lang="en">\n',
      'feed.html',
      `${FROM} is an HTML page, not IPsum's text feed (starts with "<html lang="en">\n").`,
      HTML_HINT,
    ],
    [
      'no # header',
      '192.0.2.1\t4\n'.repeat(600),
      'feed.header',
      `${FROM} has no '#' header lines; IPsum's feed starts with a header that holds '# Last update: <date>'.`,
      'Check that the URL (feed.url in watchlists/ipsum.yaml) points at ipsum.txt, not a levels/N.txt file or another list.',
    ],
    [
      'header without last update',
      '# IPsum\n#\n' + '192.0.2.1\t4\n',
      'feed.header',
      `${FROM} header has no '# Last update:' line.`,
      FORMAT_HINT,
    ],
    [
      'unreadable last update',
      '# Last update: tomorrow-ish\n192.0.2.1\t4\n',
      'feed.header',
      `${FROM} header has an unreadable '# Last update:' date "tomorrow-ish" (expected RFC 2822, e.g. "Sat, 22 Aug 2026 03:00:29 +0200").`,
      FORMAT_HINT,
    ],
    [
      'too few IPs',
      syntheticFeed({ ips: 499 }),
      'feed.too-few',
      `${FROM} lists 499 IPs, fewer than the 500 required (feed.fetch.minIps in watchlists/ipsum.yaml).`,
      'An emptied or partial upstream build would remove most of the watchlist. If the feed really is this small now, lower feed.fetch.minIps in watchlists/ipsum.yaml.',
    ],
  ])('refuses %s', (_name, text, code, message, hint) => {
    expect(check(text)).toStrictEqual({ code, message, hint });
  });

  it('refuses a body cut mid-line and quotes the partial line with its number', () => {
    const full = syntheticFeed({ ips: 600 });
    const text = full.slice(0, full.length - 4); // the last line "198.18.2.87\t10\n" loses its tab and count
    expect(check(text)).toStrictEqual({
      code: 'feed.truncated',
      message: `${FROM} ends mid-line (no final newline) at line ${7 + 600}: "198.18.2.87"; the download was cut off.`,
      hint: `Usually a dropped connection; ${RETRY} If it repeats, check feed.fetch.maxBytes in watchlists/ipsum.yaml and the network path.`,
    });
  });

  it('without a source or an alias the message names neither; the hint names the definition', () => {
    expect(checkFeed('', parseIpsum(''), { minIps: 1 })).toStrictEqual({
      code: 'feed.empty',
      message: 'The feed is empty.',
      hint: `The upstream may be rebuilding; ${RETRY} If it persists, check the feed URL (feed.url in the watchlist definition).`,
    });
  });

  it('skips up to the malformed-line limit and refuses beyond it, listing the first five line numbers', () => {
    const limit = malformedLimit(600 + 11);
    expect(limit).toBe(10);
    const tolerated = syntheticFeed({ ips: 600, extra: Array.from({ length: 10 }, (_, i) => `bad line ${i}`) });
    expect(check(tolerated)).toBeUndefined();
    const refused = syntheticFeed({ ips: 600, extra: Array.from({ length: 11 }, (_, i) => `bad line ${i}`) });
    const first = 7 + 600 + 1;
    const shown = [0, 1, 2, 3, 4].map((i) => `line ${first + i}: expected "IPv4<TAB>count", found no TAB`).join('; ');
    expect(check(refused)).toStrictEqual({
      code: 'feed.malformed',
      message: `${FROM} has 11 malformed lines of 611 (at most 10 are skipped): ${shown}.`,
      hint: `Each line must be "IPv4<TAB>count". The feed format may have changed upstream; ${RETRY}`,
    });
  });

  it('scales the malformed limit with the feed size (0.1 %, at least 10)', () => {
    expect([malformedLimit(0), malformedLimit(10_000), malformedLimit(10_001), malformedLimit(120_430)]).toEqual([10, 10, 11, 121]);
  });

  it('assertFeed throws an InputError carrying the code and hint', () => {
    const text = '<html></html>\n';
    expect(() => assertFeed(text, parseIpsum(text), options)).toThrow(
      new InputError(`${FROM} is an HTML page, not IPsum's text feed (starts with "<html></html>\n"). [feed.html]`, HTML_HINT),
    );
    const good = syntheticFeed({ ips: 600 });
    expect(() => assertFeed(good, parseIpsum(good), options)).not.toThrow();
  });
});
