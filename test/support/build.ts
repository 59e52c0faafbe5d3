// Helpers for compile/build tests: the repository's own content, or in-memory rules next to the
// fixture watchlist, validated and ready to compile.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedContent } from '../../scripts/core/validate/validate.ts';
import { validateContent } from '../../scripts/core/validate/validate.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { fixture, repoRoot, validateFiles } from './content.ts';
import { tempDir } from './temp.ts';

export const allFieldsRule = readFileSync(fileURLToPath(new URL('../fixtures/build/all-fields.yaml', import.meta.url)), 'utf8');

/** The repository's rules, watchlists and workspaces.yaml, validated (fails the test when they do not validate clean). */
export function repoContent(): ParsedContent {
  const result = validateContent(loadContent({ root: repoRoot }));
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new Error(
      `the repository's content does not validate:\n${errors.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join('\n')}`,
    );
  return result.parsed;
}

/** In-memory rules (name → YAML) beside the fixture ipsum watchlist; fails on validation errors. */
export function parsedRules(rules: Record<string, string>, workspaces?: string): ParsedContent {
  const result = validateFiles({ rules, watchlists: { ipsum: fixture.watchlist }, ...(workspaces !== undefined ? { workspaces } : {}) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new Error(`fixture does not validate:\n${errors.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join('\n')}`);
  return result.parsed;
}

/** A temporary copy of what `build` reads: rules/, watchlists/, workspaces.yaml, schemas/tables/. */
export function copyRepoContent(): string {
  const dir = tempDir('sentinel-build');
  for (const part of ['rules', 'watchlists', 'workspaces.yaml', 'schemas/tables']) {
    const from = join(repoRoot, part);
    if (!existsSync(from)) continue;
    mkdirSync(join(dir, part, '..'), { recursive: true });
    cpSync(from, join(dir, part), { recursive: true });
  }
  return dir;
}

/** Every file under `dir` (relative path → bytes), sorted by path. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(dir);
  return out;
}
