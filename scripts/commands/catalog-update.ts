// `catalog-update <csv…> [--allow-drops]` (npm run catalog:update): regenerate schemas/catalog/ from
// Microsoft's published table and ASIM reference data, report what changed, and refuse an update
// that loses more than MAX_DROPPED_TABLES tables unless the maintainer says it is expected.
import { diffCatalog, hasChanges, MAX_DROPPED_TABLES, renderChanges } from '../core/catalog/diff.ts';
import { parseCatalog, renderFunctions, renderTables } from '../core/catalog/format.ts';
import type { CatalogSource, CatalogUpdateResult } from '../core/catalog/model.ts';
import { generateCatalog } from '../core/catalog/sources.ts';
import { UsageError } from '../core/errors.ts';
import { CATALOG_DIR, readCatalogTexts, readSources, writeCatalog } from '../io/catalog.ts';

export interface CatalogUpdateOptions {
  root: string;
  files: readonly string[];
  allowDrops?: boolean;
}

export async function catalogUpdateCommand(options: CatalogUpdateOptions): Promise<CatalogUpdateResult> {
  if (options.files.length === 0)
    throw new UsageError('catalog-update needs the source CSV files', 'See docs/tables-and-functions.md, "Updating the catalog".');
  const sources = readSources(options.root, options.files);
  const { data, fixes } = generateCatalog(sources);
  if (!sources.some((s) => data.sources.find((d) => d.file === s.file)?.kind === 'tables')) {
    throw new UsageError(
      'no table source among the files (a CSV with table_name,column_name,column_type)',
      'Pass at least one la_table_schemas CSV.',
    );
  }
  const before = readCatalogTexts(options.root);
  const previous = parseCatalog(before.tables, before.functions);
  // Sources of one kind only (say, a new table snapshot) update that part; the rest is kept as committed.
  const kinds = new Set(data.sources.map((s) => s.kind));
  const kept: string[] = [];
  if (!kinds.has('asim-fields') && !kinds.has('asim-parsers') && !kinds.has('parsers') && previous.functions.length > 0) {
    data.schemas = previous.schemas;
    data.functions = previous.functions;
    data.sources.push(...previousSources(before.functions));
    kept.push(`no function source given: the committed ${previous.functions.length} functions are kept`);
  }
  const changes = diffCatalog(previous, data);
  const result: CatalogUpdateResult = {
    fixes: [...fixes, ...kept],
    changes: hasChanges(changes) ? renderChanges(changes) : ['no change'],
    tables: data.tables.length,
    columns: data.tables.reduce((n, t) => n + t.columns.length, 0),
    functions: data.functions.length,
    written: [],
  };
  const dropped = [
    [changes.droppedTables.length, 'tables'],
    [changes.droppedFunctions.length, 'functions'],
  ] as const;
  for (const [count, what] of dropped) {
    if (count > MAX_DROPPED_TABLES && !options.allowDrops) {
      return {
        ...result,
        refused:
          `the update drops ${count} ${what} (more than ${MAX_DROPPED_TABLES}); ${CATALOG_DIR} is unchanged. ` +
          'Is a source file missing (both table snapshots are needed)? If the drop is real, run again with --allow-drops.',
      };
    }
  }
  result.written = writeCatalog(options.root, { tables: renderTables(data), functions: renderFunctions(data) });
  return result;
}

/** The function sources recorded in the committed functions.txt header (kept when not regenerated). */
function previousSources(text: string): CatalogSource[] {
  const out: CatalogSource[] = [];
  for (const match of text.matchAll(/^# source (\S+) (\S+) rows=(\d+) sha256=([0-9a-f]+)$/gm)) {
    out.push({ kind: match[1] as CatalogSource['kind'], file: match[2]!, rows: Number(match[3]), sha256: match[4]! });
  }
  return out;
}
