// The `feed:` block of watchlists/<alias>.yaml, field for field (camelCase, same names), so that
// messages can name the exact setting to change. Defaults and validation belong to the model layer.

export interface FeedFetchSettings {
  timeoutSeconds: number;
  retries: number;
  maxBytes: number;
  /** Refuse a feed with fewer parsed IPs than this (a truncated or emptied upstream). */
  minIps: number;
  /** The whole download, every attempt and wait included, ends after this. */
  deadlineSeconds: number;
}

export interface FeedGuards {
  /** Refuse a sync that would leave fewer items than this. */
  minItems: number;
  /** Refuse a sync that shrinks the watchlist by more than this share of the live items (net). */
  maxShrinkPercent: number;
  /** Refuse a sync that removes more than this share of the live items (gross: additions do not offset). */
  maxRemovePercent: number;
  /** Refuse a sync whose adds + removes + score updates exceed this share of the live items. */
  maxChangePercent: number;
  /** Refuse a sync with more item writes than this (adds + removes + updates + duplicate deletions). */
  maxChangesPerRun: number;
  /** Share of Sentinel's 100,000 item changes per workspace per month that the sync may spend. */
  monthlyBudgetPercent: number;
}

export interface FeedSettings {
  format: 'ipsum';
  url: string;
  /** An IP enters the watchlist at this count. */
  minScore: number;
  /** An IP already listed stays while its count is at least this (hysteresis); defaults to minScore. */
  exitScore?: number;
  /** Stored scores are rewritten only when they cross one of these levels. */
  scoreThresholds?: number[];
  /** IPv4 addresses and CIDR ranges never to list. */
  allowList: string[];
  /** Drop reserved and private IPv4 ranges from the feed (core/feed/reserved.ts). */
  dropReserved: boolean;
  fetch: FeedFetchSettings;
  guards: FeedGuards;
}

/** What a `feed:` block leaves out (the README documents them; watchlists/ipsum.yaml spells them out). */
export const FEED_DEFAULTS = {
  minScore: 4,
  dropReserved: true,
  fetch: { timeoutSeconds: 60, retries: 3, maxBytes: 20_000_000, minIps: 500, deadlineSeconds: 120 },
  // maxRemovePercent and maxChangePercent: on the real pairs of snapshots 3 to 14 days apart, a run
  // with hysteresis removed 5–29 % of the live items and changed 71–118 % (npm run bench -- sync);
  // a feed that replaces every item removes 100 % and changes 200 %.
  guards: {
    minItems: 500,
    maxShrinkPercent: 30,
    maxRemovePercent: 40,
    maxChangePercent: 150,
    maxChangesPerRun: 10_000,
    monthlyBudgetPercent: 80,
  },
} as const;

/** The column the ipsum feed writes each IP's score to (validate requires it, as int). */
export const SCORE_COLUMN = 'Score';

/** Sentinel's hard limit: item creates, updates and deletes per workspace per calendar month. */
export const MONTHLY_ITEM_CHANGE_LIMIT = 100_000;

/** Where a setting lives, for messages: `feed.guards.minItems in watchlists/ipsum.yaml`. */
export function settingPath(alias: string | undefined, path: string): string {
  return alias ? `feed.${path} in watchlists/${alias}.yaml` : `feed.${path} in the watchlist definition`;
}
