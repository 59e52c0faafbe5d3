// The shapes the KQL layer shares with the rest of the project: table schemas (schemas/tables/*.json)
// and the columns a watchlist declares. Kept apart from the Kusto.Language wrapper so that readers of
// schemas need not load it.

/** Kusto scalar types; the same list as the `type` enum of schemas/table.schema.json. */
export const KQL_TYPES = ['string', 'int', 'long', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid'] as const;

export type KqlType = (typeof KQL_TYPES)[number];

export interface ColumnSchema {
  name: string;
  type: KqlType;
}

export interface TableSchema {
  name: string;
  description?: string;
  columns: ColumnSchema[];
  /** Columns beyond `columns` exist (resource-specific columns of AzureDiagnostics): any column name resolves. */
  open?: boolean;
}

/** A watchlist as queries see it: its alias and its own (CSV) columns, without SearchKey or metadata. */
export interface WatchlistSchema {
  alias: string;
  columns: ColumnSchema[];
  /** Columns beyond `columns` exist (resource-specific columns of AzureDiagnostics): any column name resolves. */
  open?: boolean;
}

export function isKqlType(value: unknown): value is KqlType {
  return typeof value === 'string' && (KQL_TYPES as readonly string[]).includes(value);
}
