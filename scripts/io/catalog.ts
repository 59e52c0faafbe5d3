// The generated table/function catalog and its overlay under schemas/catalog/ (format:
// scripts/core/catalog/format.ts). Reading is a few file reads; the catalog parses lazily.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { catalogProvider, type CatalogTexts } from '../core/catalog/catalog.ts';
import type { SchemaProvider } from '../core/catalog/provider.ts';
import type { SourceFile } from '../core/catalog/sources.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { linksOutside } from './confined.ts';

export const CATALOG_DIR = 'schemas/catalog';
export const CATALOG_FILES = { tables: 'tables.txt', functions: 'functions.txt', overlay: 'overlay.txt' } as const;

/** The three files' texts; a missing file reads as empty (a fresh repository without a catalog). */
export function readCatalogTexts(root: string): CatalogTexts {
  const read = (name: string): string => {
    const file = join(root, CATALOG_DIR, name);
    if (!existsSync(file)) return '';
    if (linksOutside(root, file)) {
      throw new ConfigError(
        `${file} is a symbolic link that leads outside the repository: not read`,
        file,
        'The catalog must live in the repository: restore schemas/catalog/ from git, or remove the link.',
      );
    }
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, file);
    }
  };
  return { tables: read(CATALOG_FILES.tables), functions: read(CATALOG_FILES.functions), overlay: read(CATALOG_FILES.overlay) };
}

export function loadCatalog(root: string): SchemaProvider {
  return catalogProvider(readCatalogTexts(root));
}

/** CSV sources for the generator, named by their base name (recorded in the catalog's header). */
export function readSources(root: string, paths: readonly string[]): SourceFile[] {
  return paths.map((path) => {
    const full = resolve(root, path);
    if (!existsSync(full)) throw new UsageError(`${path}: no such file`, 'Pass the CSV files described in docs/tables-and-functions.md.');
    return { file: basename(full), text: readFileSync(full, 'utf8') };
  });
}

/** Writes both generated files, each through a temporary file and a rename (never half-written). */
export function writeCatalog(root: string, texts: { tables: string; functions: string }): string[] {
  const written: string[] = [];
  for (const [name, text] of [
    [CATALOG_FILES.tables, texts.tables],
    [CATALOG_FILES.functions, texts.functions],
  ] as const) {
    const file = join(root, CATALOG_DIR, name);
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    written.push(`${CATALOG_DIR}/${name}`);
  }
  return written;
}
