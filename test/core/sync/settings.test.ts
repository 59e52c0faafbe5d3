import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../scripts/core/errors.ts';
import type { WatchlistYaml } from '../../../scripts/core/model/yaml-types.ts';
import { FEED_DEFAULTS } from '../../../scripts/core/feed/settings.ts';
import { feedSettingsOf, itemShapeOf, scorePolicyOf } from '../../../scripts/core/sync/settings.ts';

const base: WatchlistYaml = {
  alias: 'ipsum',
  displayName: 'IPsum',
  description: 'd',
  provider: 'p',
  itemsSearchKey: 'IPAddress',
  columns: [
    { name: 'IPAddress', type: 'string' },
    { name: 'Score', type: 'int' },
  ],
  feed: { format: 'ipsum', url: 'https://example.test/ipsum.txt' },
};

describe('feedSettingsOf', () => {
  it('applies the documented defaults when the feed block only names format and url', () => {
    const s = feedSettingsOf(base);
    expect(s).toEqual({
      format: 'ipsum',
      url: 'https://example.test/ipsum.txt',
      minScore: 4,
      allowList: [],
      dropReserved: true,
      fetch: FEED_DEFAULTS.fetch,
      guards: FEED_DEFAULTS.guards,
    });
    expect(s.exitScore).toBeUndefined();
    expect(s.scoreThresholds).toBeUndefined();
  });

  it('keeps every explicit value, merges partial fetch/guards blocks and sorts thresholds', () => {
    const s = feedSettingsOf({
      ...base,
      feed: {
        ...base.feed!,
        minScore: 5,
        exitScore: 3,
        scoreThresholds: [8, 6],
        allowList: ['10.0.0.0/8'],
        fetch: { retries: 0 },
        guards: { minItems: 7 },
      },
    });
    expect(s.minScore).toBe(5);
    expect(s.exitScore).toBe(3);
    expect(s.scoreThresholds).toEqual([6, 8]);
    expect(s.allowList).toEqual(['10.0.0.0/8']);
    expect(s.fetch).toEqual({ ...FEED_DEFAULTS.fetch, retries: 0 });
    expect(s.guards).toEqual({ ...FEED_DEFAULTS.guards, minItems: 7 });
  });

  it('refuses a definition without a feed block, naming the file', () => {
    const { feed: _feed, ...plain } = base;
    expect(() => feedSettingsOf(plain)).toThrow(
      new ConfigError(
        'Watchlist ipsum has no feed: block, so there is nothing to sync it from.',
        'watchlists/ipsum.yaml',
        'Add a feed: block (format, url, minScore…) to the definition, or pick a watchlist that has one.',
      ),
    );
  });
});

describe('itemShapeOf and scorePolicyOf', () => {
  it.each([
    ['with a Score column', base.columns, 'Score', { thresholds: [6] }],
    ['without one', [{ name: 'IPAddress', type: 'string' as const }], undefined, 'none'],
  ])('%s', (_label, columns, scoreColumn, policy) => {
    const shape = itemShapeOf({ ...base, columns });
    expect(shape.scoreColumn).toBe(scoreColumn);
    expect(shape.columns).toEqual(columns.map((c) => c.name));
    expect(scorePolicyOf({ ...feedSettingsOf(base), scoreThresholds: [6] }, shape)).toEqual(policy);
  });

  it('no thresholds configured: scores are written once and never rewritten', () => {
    expect(scorePolicyOf(feedSettingsOf(base), itemShapeOf(base))).toEqual({ thresholds: [] });
  });
});
