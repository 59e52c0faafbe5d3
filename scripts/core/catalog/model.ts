// The catalog's data model, shared by the generator (sources.ts → format.ts) and the runtime reader
// (catalog.ts). Tables and ASIM schemas are lists of typed columns; functions name what they return.
import type { ColumnSchema } from '../kql/types.ts';

export interface CatalogTable {
  name: string;
  columns: ColumnSchema[];
}

/**
 * A function a Sentinel workspace has without the repository declaring it: an ASIM parser (its result
 * is the columns of its ASIM schema) or a solution's parser (result columns unknown: `schema` absent).
 */
export interface CatalogFunction {
  name: string;
  /** ASIM schema whose columns the function returns; absent: unknown columns (an open result). */
  schema?: string;
  /** Kusto parameter list, e.g. `(pack:bool=false)`; absent: unknown, any arguments are accepted. */
  parameters?: string;
  /** True when named arguments beyond `parameters` are accepted unchecked (ASIM filtering parameters). */
  moreNamed?: boolean;
}

export interface CatalogSource {
  file: string;
  kind: SourceKind;
  sha256: string;
  rows: number;
}

export type SourceKind = 'tables' | 'asim-fields' | 'asim-parsers' | 'parsers';

export interface CatalogData {
  sources: CatalogSource[];
  /** Sorted by name. */
  tables: CatalogTable[];
  /** ASIM schema → result columns, sorted by schema name. */
  schemas: CatalogTable[];
  /** Sorted by name. */
  functions: CatalogFunction[];
}

/** What `catalog-update` did, for its reporter. */
export interface CatalogUpdateResult {
  /** Normalisations applied to the sources. */
  fixes: string[];
  /** What changed against the committed catalog. */
  changes: string[];
  tables: number;
  columns: number;
  functions: number;
  written: string[];
  /** Set when the update was refused (nothing written). */
  refused?: string;
}
