// Watchlist definition → the REST PUT body {properties}. Items are not part of it: the sync owns them
// (a bootstrap CSV, when a definition has one, is added by deploy on creation only).
import type { WatchlistYaml } from '../model/yaml-types.ts';

export interface WatchlistBody {
  properties: Record<string, unknown>;
}

export interface CompiledWatchlist {
  alias: string;
  file: string;
  /** The definition as written: its ownership mark, CSV header and bootstrap file. */
  yaml: WatchlistYaml;
  body: WatchlistBody;
}

export function compileWatchlist(w: WatchlistYaml, file: string): CompiledWatchlist {
  const properties: Record<string, unknown> = {
    displayName: w.displayName,
    provider: w.provider,
    source: w.source ?? `${w.alias}.csv`,
    description: w.description.trimEnd(),
    itemsSearchKey: w.itemsSearchKey,
  };
  if (w.labels?.length) properties.labels = [...w.labels];
  if (w.defaultDuration) properties.defaultDuration = w.defaultDuration;
  return { alias: w.alias, file, yaml: w, body: { properties } };
}

/**
 * The body that creates a watchlist: the compiled definition plus its first items as one CSV upload
 * (the header row alone for an empty one). Deploy and the sync's first run both create with it.
 */
export function createBody(compiled: WatchlistBody, description: string, csv: string): WatchlistBody {
  return {
    properties: {
      ...compiled.properties,
      description,
      sourceType: 'Local',
      contentType: 'text/csv',
      numberOfLinesToSkip: 0,
      rawContent: csv,
    },
  };
}

/** The CSV header row of a watchlist (what an empty watchlist is created with). */
export function csvHeader(w: WatchlistYaml): string {
  return `${w.columns.map((c) => c.name).join(',')}\n`;
}
