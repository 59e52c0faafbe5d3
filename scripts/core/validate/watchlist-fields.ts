// Layer (c) for watchlists: relations between fields of one watchlist definition.
import type { Diagnostic } from '../diagnostics.ts';
import { parseCidr } from '../feed/ipv4.ts';
import { didYouMean } from '../text/suggest.ts';
import type { YamlDocument } from '../yaml/document.ts';
import { asArray, asNumber, asRecord, asString, strings } from '../guards.ts';
import { Reporter } from './report.ts';
import { FEED_DEFAULTS, SCORE_COLUMN } from '../feed/settings.ts';

export function watchlistFieldDiagnostics(doc: YamlDocument): Diagnostic[] {
  const report = new Reporter(doc);
  const watchlist = asRecord(doc.value) ?? {};
  const columns = asArray(watchlist.columns).map((c) => asRecord(c));
  const names = columns.map((c) => asString(c?.name));

  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (!name) return;
    // Stryker disable next-line MethodExpression: column names are ASCII (the schema's pattern), where upper and lower case fold alike
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      report.error(
        ['columns', index, 'name'],
        'watchlist.duplicate-column',
        `column '${name}' is defined twice (column names are case-insensitive)`,
        'Remove or rename one of them.',
      );
    }
    seen.set(lower, index);
  });

  const searchKey = asString(watchlist.itemsSearchKey);
  const known = names.filter((n): n is string => !!n);
  if (searchKey && known.length > 0 && !known.includes(searchKey)) {
    report.error(
      ['itemsSearchKey'],
      'watchlist.search-key',
      `itemsSearchKey '${searchKey}' is not one of the columns`,
      didYouMean(searchKey, known) ?? `Use one of the columns: ${known.join(', ')}.`,
    );
  }

  const feed = asRecord(watchlist.feed);
  if (feed) checkFeed(report, feed, columns);
  return report.diagnostics;
}

function checkFeed(report: Reporter, feed: Record<string, unknown>, columns: (Record<string, unknown> | undefined)[]): void {
  const minScore = asNumber(feed.minScore) ?? FEED_DEFAULTS.minScore;
  const exitScore = asNumber(feed.exitScore) ?? minScore;
  if (exitScore > minScore) {
    report.error(
      ['feed', 'exitScore'],
      'watchlist.feed-scores',
      `exitScore ${exitScore} is above minScore ${minScore}: an IP would leave before it could enter`,
      `Set exitScore to at most ${minScore} (equal disables the hysteresis).`,
    );
  }
  asArray(feed.scoreThresholds).forEach((value, index) => {
    const threshold = asNumber(value);
    if ((threshold ?? Infinity) <= minScore) {
      report.warning(
        ['feed', 'scoreThresholds', index],
        'watchlist.feed-threshold',
        `score threshold ${threshold} is not above minScore ${minScore}, so it only adds score updates`,
        'Thresholds matter only for rules that filter above the entry level: remove this one.',
      );
    }
  });
  // The same parser the sync uses, so validate and sync never disagree about an entry.
  strings(feed.allowList).forEach((entry, index) => {
    const parsed = parseCidr(entry);
    if ('error' in parsed) {
      report.error(
        ['feed', 'allowList', index],
        'watchlist.allow-list',
        parsed.error,
        'Write addresses as 203.0.113.7 and ranges as 203.0.113.0/24 (network address, no host bits).',
      );
    }
  });
  const score = columns.find((c) => asString(c?.name) === SCORE_COLUMN);
  if (feed.format === 'ipsum' && (!score || (score.type !== 'int' && score.type !== 'long'))) {
    report.error(
      ['columns'],
      'watchlist.feed-columns',
      `the ipsum feed writes each IP's score to an integer column '${SCORE_COLUMN}', which this watchlist does not define`,
      `Add a column \`- name: ${SCORE_COLUMN}\` with \`type: int\`.`,
    );
  }
}
