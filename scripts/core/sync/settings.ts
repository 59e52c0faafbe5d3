// The `feed:` block of a watchlist definition with its defaults applied, and what the sync derives
// from the definition: the item shape (search key, score column) and the score-rewrite policy.
// The defaults are documented in the README ("IPsum watchlist sync"); the repo's watchlists/ipsum.yaml
// spells every one of them out.
import { ConfigError } from '../errors.ts';
import type { ScorePolicy } from '../feed/diff.ts';
import { FEED_DEFAULTS, SCORE_COLUMN, type FeedSettings } from '../feed/settings.ts';
import type { WatchlistYaml } from '../model/yaml-types.ts';

/** How items of this watchlist are written: which column holds the IP, which the score, all columns. */
export interface ItemShape {
  searchKey: string;
  scoreColumn?: string;
  /** Every column of the definition, in order (CSV header and item key-values). */
  columns: string[];
}

export function feedSettingsOf(w: WatchlistYaml, file = `watchlists/${w.alias}.yaml`): FeedSettings {
  const feed = w.feed;
  if (!feed) {
    throw new ConfigError(
      `Watchlist ${w.alias} has no feed: block, so there is nothing to sync it from.`,
      file,
      'Add a feed: block (format, url, minScore…) to the definition, or pick a watchlist that has one.',
    );
  }
  const settings: FeedSettings = {
    format: feed.format,
    url: feed.url,
    minScore: feed.minScore ?? FEED_DEFAULTS.minScore,
    allowList: [...(feed.allowList ?? [])],
    dropReserved: feed.dropReserved ?? FEED_DEFAULTS.dropReserved,
    fetch: { ...FEED_DEFAULTS.fetch, ...feed.fetch },
    guards: { ...FEED_DEFAULTS.guards, ...feed.guards },
  };
  if (feed.exitScore !== undefined) settings.exitScore = feed.exitScore;
  if (feed.scoreThresholds !== undefined) settings.scoreThresholds = [...feed.scoreThresholds].sort((a, b) => a - b);
  return settings;
}

export function itemShapeOf(w: WatchlistYaml): ItemShape {
  const columns = w.columns.map((c) => c.name);
  const shape: ItemShape = { searchKey: w.itemsSearchKey, columns };
  if (columns.includes(SCORE_COLUMN) && SCORE_COLUMN !== w.itemsSearchKey) shape.scoreColumn = SCORE_COLUMN;
  return shape;
}

/**
 * Scores are rewritten only when they cross a configured threshold (none configured: only a missing
 * or unreadable score is written). Without a score column there is nothing to rewrite.
 */
export function scorePolicyOf(settings: FeedSettings, shape: ItemShape): ScorePolicy {
  if (!shape.scoreColumn) return 'none';
  return { thresholds: settings.scoreThresholds ?? [] };
}
