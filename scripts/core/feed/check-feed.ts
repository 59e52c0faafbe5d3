// Refuse a downloaded feed before anything is written: a captive portal's HTML page, an empty or
// cut-off body or a changed format would otherwise empty or corrupt the watchlist.
import { InputError } from '../errors.ts';
import type { ParsedFeed } from './ipsum.ts';
import { settingPath } from './settings.ts';

export type FeedRefusalCode = 'feed.empty' | 'feed.html' | 'feed.truncated' | 'feed.header' | 'feed.malformed' | 'feed.too-few';

export interface FeedRefusal {
  code: FeedRefusalCode;
  message: string;
  hint: string;
}

export interface CheckFeedOptions {
  minIps: number;
  /** Watchlist alias, to name the setting to change. */
  alias?: string;
  /** URL or path the feed came from (without secrets), for messages. */
  source?: string;
}

/**
 * Malformed lines tolerated (skipped and reported) before the whole feed is refused: a sound feed
 * has none, a stray line or two is an upstream glitch, more means the format changed.
 */
export function malformedLimit(dataLines: number): number {
  return Math.max(10, Math.ceil(dataLines / 1000));
}

const SHOWN_PROBLEMS = 5;

export function checkFeed(text: string, parsed: ParsedFeed, options: CheckFeedOptions): FeedRefusal | undefined {
  const from = options.source ? ` from ${options.source}` : '';
  const retry = 'Nothing was written; the next scheduled run retries.';
  if (text.trim() === '') {
    return {
      code: 'feed.empty',
      message: `The feed${from} is empty${text.length > 0 ? ' (whitespace only)' : ''}.`,
      hint: `The upstream may be rebuilding; ${retry} If it persists, check the feed URL (${settingPath(options.alias, 'url')}).`,
    };
  }
  const head = text.slice(0, 512).trimStart().toLowerCase();
  if (head.startsWith('<') || head.includes('<html')) {
    return {
      code: 'feed.html',
      message: `The feed${from} is an HTML page, not IPsum's text feed (starts with "${text.trimStart().slice(0, 40)}").`,
      hint: `A proxy, captive portal or error page answered instead of the feed. Open the URL in a browser from the runner's network, fix the URL (${settingPath(options.alias, 'url')}) or the proxy; ${retry}`,
    };
  }
  if (!text.endsWith('\n')) {
    const lastLine = text.slice(text.lastIndexOf('\n') + 1);
    return {
      code: 'feed.truncated',
      message: `The feed${from} ends mid-line (no final newline) at line ${parsed.lines}: "${lastLine.slice(0, 60)}"; the download was cut off.`,
      hint: `Usually a dropped connection; ${retry} If it repeats, check ${settingPath(options.alias, 'fetch.maxBytes')} and the network path.`,
    };
  }
  if (parsed.headerLines === 0) {
    return {
      code: 'feed.header',
      message: `The feed${from} has no '#' header lines; IPsum's feed starts with a header that holds '# Last update: <date>'.`,
      hint: `Check that the URL (${settingPath(options.alias, 'url')}) points at ipsum.txt, not a levels/N.txt file or another list.`,
    };
  }
  if (parsed.lastUpdate === undefined) {
    const found =
      parsed.lastUpdateText === undefined
        ? "has no '# Last update:' line"
        : `has an unreadable '# Last update:' date "${parsed.lastUpdateText}" (expected RFC 2822, e.g. "Sat, 22 Aug 2026 03:00:29 +0200")`;
    return {
      code: 'feed.header',
      message: `The feed${from} header ${found}.`,
      hint: `The feed format may have changed upstream; compare it with github.com/stamparm/ipsum before changing the parser. ${retry}`,
    };
  }
  const limit = malformedLimit(parsed.dataLines);
  if (parsed.problems.length > limit) {
    const shown = parsed.problems
      .slice(0, SHOWN_PROBLEMS)
      .map((p) => `line ${p.line}: ${p.reason}`)
      .join('; ');
    return {
      code: 'feed.malformed',
      message: `The feed${from} has ${parsed.problems.length} malformed lines of ${parsed.dataLines} (at most ${limit} are skipped): ${shown}.`,
      hint: `Each line must be "IPv4<TAB>count". The feed format may have changed upstream; ${retry}`,
    };
  }
  if (parsed.entries.size < options.minIps) {
    return {
      code: 'feed.too-few',
      message: `The feed${from} lists ${parsed.entries.size} IPs, fewer than the ${options.minIps} required (${settingPath(options.alias, 'fetch.minIps')}).`,
      hint: `An emptied or partial upstream build would remove most of the watchlist. If the feed really is this small now, lower ${settingPath(options.alias, 'fetch.minIps')}.`,
    };
  }
  return undefined;
}

/** checkFeed, as an InputError to throw (exit 1, zero writes). */
export function assertFeed(text: string, parsed: ParsedFeed, options: CheckFeedOptions): void {
  const refusal = checkFeed(text, parsed, options);
  if (refusal) throw new InputError(`${refusal.message} [${refusal.code}]`, refusal.hint);
}
