// Helpers for validation tests: the fixture content in memory, one defect at a time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Position } from '../../scripts/core/diagnostics.ts';
import type { TableSchema } from '../../scripts/core/kql/types.ts';
import { validateContent, type SourceFile, type ValidationResult } from '../../scripts/core/validate/validate.ts';
import { loadTableSchemas } from '../../scripts/io/tables.ts';
import { loadCatalog } from '../../scripts/io/catalog.ts';
import type { SchemaProvider } from '../../scripts/core/catalog/provider.ts';

const fixtures = new URL('../fixtures/content/', import.meta.url);
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const fixture = {
  rule: readFileSync(new URL('rule.yaml', fixtures), 'utf8'),
  watchlist: readFileSync(new URL('watchlist.yaml', fixtures), 'utf8'),
  workspaces: readFileSync(new URL('workspaces.yaml', fixtures), 'utf8'),
};

let tables: TableSchema[] | undefined;
export function repoTables(): TableSchema[] {
  tables ??= loadTableSchemas(fileURLToPath(new URL('../../schemas/tables/', import.meta.url)));
  return tables;
}

export interface Files {
  rules?: Record<string, string>;
  watchlists?: Record<string, string>;
  workspaces?: string;
}

let catalog: SchemaProvider | undefined;
/** The committed catalog (schemas/catalog/), loaded once. */
export function repoCatalog(): SchemaProvider {
  catalog ??= loadCatalog(repoRoot);
  return catalog;
}

/**
 * Validate in-memory files (paths become rules/<name>.yaml, watchlists/<name>.yaml, workspaces.yaml)
 * against the repository's table schemas; `withCatalog` adds the committed catalog as `validate` does.
 */
export function validateFiles(files: Files, withCatalog = false): ValidationResult {
  const source = (dir: string, entries: Record<string, string> = {}): SourceFile[] =>
    Object.entries(entries).map(([name, text]) => ({ path: `${dir}/${name}.yaml`, text }));
  return validateContent({
    rules: source('rules', files.rules),
    watchlists: source('watchlists', files.watchlists),
    workspaces: files.workspaces === undefined ? undefined : { path: 'workspaces.yaml', text: files.workspaces },
    tables: repoTables(),
    ...(withCatalog ? { providers: [repoCatalog()] } : {}),
  });
}

/** The fixture set with `edit` applied to one file. */
export function fixtureWith(edit: Partial<Record<'rule' | 'watchlist' | 'workspaces', string>>): Files {
  return {
    rules: { rule: edit.rule ?? fixture.rule },
    watchlists: { ipsum: edit.watchlist ?? fixture.watchlist },
    workspaces: edit.workspaces ?? fixture.workspaces,
  };
}

/** Replace exactly one occurrence of `from` (fails loudly when the fixture changed). */
export function replaceOnce(text: string, from: string, to: string): string {
  const index = text.indexOf(from);
  if (index < 0 || text.indexOf(from, index + 1) >= 0) throw new Error(`fixture edit: '${from}' must occur exactly once`);
  return text.slice(0, index) + to + text.slice(index + from.length);
}

/** 1-based line and column of the first occurrence of `marker` (plus `offset` characters). */
export function positionOf(text: string, marker: string, offset = 0): Position {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker '${marker}' not in text`);
  const before = text.slice(0, index + offset);
  const line = before.split('\n').length;
  return { line, column: index + offset - before.lastIndexOf('\n') };
}
