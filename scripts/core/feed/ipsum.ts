// IPsum's ipsum.txt: a '#' header (7 lines now, 4 in old builds: skipped by '#', never by count)
// holding '# Last update: <RFC 2822 date>', then one `IPv4<TAB>count` line per address.
import { explainIPv4, ipv4ToUint } from './ipv4.ts';

export interface FeedProblem {
  /** 1-based line number in the feed. */
  line: number;
  /** The offending line, shortened to 100 characters. */
  text: string;
  reason: string;
}

export interface ParsedFeed {
  /** IP → count (number of blocklists); a duplicated IP keeps its highest count. */
  entries: Map<string, number>;
  /** The feed's build time, ISO 8601 UTC (`2026-08-22T01:00:29Z`), when the header has a parsable date. */
  lastUpdate?: string;
  /** The raw value after '# Last update:' when present, parsable or not (for messages). */
  lastUpdateText?: string;
  headerLines: number;
  problems: FeedProblem[];
  /** Lines in the body (a final newline does not start another line). */
  lines: number;
  /** Data lines seen (well-formed or not), i.e. lines that are neither header nor blank. */
  dataLines: number;
}

const TAB = 9;
const HASH = 35;
const LAST_UPDATE = /^#\s*Last update:\s*(.*?)\s*$/i;
const ZERO = 48;

export function parseIpsum(text: string): ParsedFeed {
  const entries = new Map<string, number>();
  const problems: FeedProblem[] = [];
  let headerLines = 0;
  let dataLines = 0;
  let lastUpdate: string | undefined;
  let lastUpdateText: string | undefined;
  let lineNo = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the header
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    lineNo++;
    // CRLF: drop the carriage return that ends the line (an empty line follows a \n, never a \r).
    const stop = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const first = text.charCodeAt(start);
    if (first === HASH) {
      headerLines++;
      if (lastUpdateText === undefined) {
        const match = LAST_UPDATE.exec(text.slice(start, stop));
        if (match) {
          lastUpdateText = match[1]!;
          lastUpdate = parseRfc2822(lastUpdateText);
        }
      }
    } else {
      // Validate in place and slice only the address: this loop runs 120,000 times a sync. Without a
      // TAB (-1), the address span is too short for ipv4ToUint.
      const tab = tabWithin(text, start, stop);
      const count = ipv4ToUint(text, start, tab) >= 0 ? countAt(text, tab + 1, stop) : -1;
      // Stryker disable next-line EqualityOperator: countAt returns -1 or a count of at least 1
      if (count > 0) {
        dataLines++;
        const ip = text.slice(start, tab);
        const seen = entries.get(ip);
        // Stryker disable next-line EqualityOperator: setting an equal count again changes nothing
        if (seen === undefined || count > seen) entries.set(ip, count);
      } else {
        const line = text.slice(start, stop);
        // A whitespace-only line is blank, not data; anything else is reported with its number.
        if (line.trim() !== '') {
          dataLines++;
          problems.push({ line: lineNo, text: shorten(line), reason: explainLine(line) });
        }
      }
    }
    start = end + 1;
  }
  const feed: ParsedFeed = { entries, headerLines, problems, lines: lineNo, dataLines };
  if (lastUpdate !== undefined) feed.lastUpdate = lastUpdate;
  if (lastUpdateText !== undefined) feed.lastUpdateText = lastUpdateText;
  return feed;
}

/** Position of the TAB that ends an address (at most 15 characters in), or -1. */
function tabWithin(text: string, start: number, stop: number): number {
  // Equivalent mutants below: a TAB found past the line or past 15 characters, or a -1 turned into 1,
  // gives an address span that is not a dotted quad, which the caller refuses like no TAB.
  // Stryker disable next-line MethodExpression: see above
  const last = Math.min(stop, start + 16);
  // Stryker disable next-line EqualityOperator: see above
  for (let i = start; i < last; i++) if (text.charCodeAt(i) === TAB) return i;
  // Stryker disable next-line UnaryOperator: see above
  return -1;
}

/** The count from `start` to `stop`: 1-999999 without leading zeros, else -1. */
function countAt(text: string, start: number, stop: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty count would return 0, which the caller refuses too
  if (stop <= start) return -1;
  if (stop - start > 6 || text.charCodeAt(start) === ZERO) return -1;
  let value = 0;
  for (let i = start; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > ZERO + 9) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

function explainLine(line: string): string {
  const fields = line.split('\t');
  if (fields.length !== 2) {
    if (fields.length === 1 && fields[0]!.includes(':')) return 'IPv6 address: only IPv4 is supported';
    return `expected "IPv4<TAB>count", found ${fields.length === 1 ? 'no TAB' : `${fields.length - 1} TABs`}`;
  }
  const [ip, count] = fields as [string, string];
  if (ipv4ToUint(ip) < 0) return explainIPv4(ip);
  return `count "${shorten(count, 20)}" is not a positive integer (1 to 999999)`;
}

function shorten(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RFC2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|GMT|UTC|UT|Z)$/;

/** `Sat, 22 Aug 2026 03:00:29 +0200` → `2026-08-22T01:00:29Z`; undefined when not a valid RFC 2822 date. */
export function parseRfc2822(text: string): string | undefined {
  const m = RFC2822.exec(text.trim());
  if (!m) return undefined;
  // Stryker disable next-line StringLiteral: Number('') is 0 as well
  const [, day, monthName, year, hour, minute, second = '0', zone] = m as unknown as string[];
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month < 0) return undefined;
  const [d, y, h, mi, s] = [day, year, hour, minute, second].map(Number) as [number, number, number, number, number];
  if (h > 23 || mi > 59 || s > 60) return undefined;
  const local = Date.UTC(y, month, d, h, mi, Math.min(s, 59));
  // Date.UTC rolls 31 Feb over into March: refuse dates that do not exist.
  if (new Date(local).getUTCDate() !== d) return undefined;
  let offsetMinutes = 0;
  if (zone!.startsWith('+') || zone!.startsWith('-')) {
    const sign = zone!.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3, 5)));
  }
  return new Date(local - offsetMinutes * 60_000).toISOString().replace('.000Z', 'Z');
}
