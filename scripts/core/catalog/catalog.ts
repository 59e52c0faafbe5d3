// The generated catalog as a SchemaProvider, lazy: the files are indexed (one split per line) on the
// first question and a table's columns are parsed, overlay applied, only when a query names it.
import type { TableSchema } from '../kql/types.ts';
import { indexFunctions, indexTables, parseColumns, type FunctionIndex } from './format.ts';
import { applyOverlay, EVERY_TABLE, parseOverlay, type OverlayFact } from './overlay.ts';
import type { FunctionSchema, SchemaProvider } from './provider.ts';

export interface CatalogTexts {
  tables: string;
  functions: string;
  overlay: string;
}

export function catalogProvider(texts: CatalogTexts): SchemaProvider {
  let tableIndex: Map<string, string> | undefined;
  let functionIndex: FunctionIndex | undefined;
  let overlay: Map<string, OverlayFact[]> | undefined;
  const tables = new Map<string, TableSchema>();
  const functions = new Map<string, FunctionSchema>();
  const schemaColumns = new Map<string, FunctionSchema['columns']>();

  const tablesOf = (): Map<string, string> => (tableIndex ??= indexTables(texts.tables));
  const functionsOf = (): FunctionIndex => (functionIndex ??= indexFunctions(texts.functions));
  const overlayOf = (): Map<string, OverlayFact[]> => (overlay ??= parseOverlay(texts.overlay));

  return {
    table(name) {
      const cached = tables.get(name);
      if (cached) return cached;
      const spec = tablesOf().get(name);
      if (spec === undefined) return undefined;
      const applied = applyOverlay(parseColumns(spec), overlayOf().get(name), overlayOf().get(EVERY_TABLE));
      const table: TableSchema = { name, columns: applied.columns };
      if (applied.open) table.open = true;
      tables.set(name, table);
      return table;
    },
    function(name) {
      const cached = functions.get(name);
      if (cached) return cached;
      const index = functionsOf();
      const f = index.functions.get(name);
      if (!f) return undefined;
      const out: FunctionSchema = { name, origin: f.schema ? `ASIM ${f.schema} parser` : 'Sentinel solution parser' };
      if (f.parameters !== undefined) out.parameters = f.parameters;
      if (f.moreNamed) out.moreNamed = true;
      if (f.schema) {
        if (!schemaColumns.has(f.schema)) schemaColumns.set(f.schema, parseColumns(index.schemas.get(f.schema) ?? ''));
        out.columns = schemaColumns.get(f.schema);
      }
      functions.set(name, out);
      return out;
    },
    tableNames: () => [...tablesOf().keys()],
    functionNames: () => [...functionsOf().functions.keys()],
    source: { kind: 'catalog', texts },
  };
}
