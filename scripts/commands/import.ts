// `import <files...> [--out <dir>] [--force]`: Sentinel portal ARM exports and Azure-Sentinel YAML
// rules → this repository's rule files (<out>/<slug of the display name>.yaml). Every file is tried;
// what cannot be represented is refused with the reason, and an existing file is never overwritten
// without --force. The rules already in the repository (rules/ at any depth, and --out) are found by
// id: a rule imported again goes back to its own file, wherever it lives, never into a second copy.
import { join, resolve } from 'node:path';
import { AppError, UsageError } from '../core/errors.ts';
import { asRecord, asString } from '../core/guards.ts';
import { importFile } from '../core/import/import.ts';
import { placeRuleText } from '../core/import/write-yaml.ts';
import { parseYaml } from '../core/yaml/document.ts';
import { findYamlFiles, pathExists, readSource, toRepoPath, writeSource } from '../io/content.ts';

export interface ImportOptions {
  root: string;
  files: string[];
  /** Default rules/. */
  out?: string;
  force?: boolean;
}

export interface ImportResult {
  imported: { from: string; file: string; id: string; name: string; notes: string[] }[];
  refused: { from: string; reason: string; hint?: string }[];
  /** Resources left out on purpose (other rule kinds, playbooks): where (file and resource) and why. */
  skipped: { where: string; reason: string }[];
}

export async function importCommand(options: ImportOptions): Promise<ImportResult> {
  if (options.files.length === 0) throw new UsageError('import needs at least one file', 'npm run cli -- import <export.json|rule.yaml>... [--out rules/]');
  const outDir = resolve(options.root, options.out ?? 'rules');
  const result: ImportResult = { imported: [], refused: [], skipped: [] };
  const planned = new Set<string>();
  const existing = existingRuleFiles(options.root, [resolve(options.root, 'rules'), outDir]);
  for (const input of options.files) {
    const path = resolve(options.root, input);
    const from = toRepoPath(options.root, path);
    if (!pathExists(path)) {
      result.refused.push({ from, reason: `${from}: no such file` });
      continue;
    }
    try {
      const { rules, skipped, refused } = importFile(from, readSource(options.root, path).text);
      result.skipped.push(...skipped.map(({ where, reason }) => ({ where, reason })));
      result.refused.push(...refused.map(({ reason, hint }) => ({ from, reason, ...(hint ? { hint } : {}) })));
      for (const rule of rules) {
        const already = existing.get(rule.id.toLowerCase());
        const target = already ?? join(outDir, rule.fileName);
        const file = toRepoPath(options.root, target);
        if (planned.has(target)) {
          result.refused.push({ from, reason: `rule ${rule.id} (${rule.name}) would be written to ${file}, like another rule of this import`, hint: 'Rename one of them (displayName) and import again.' });
          continue;
        }
        if (already && !options.force) {
          result.refused.push({ from, reason: `rule ${rule.id} is already in ${file}`, hint: 'Pass --force to overwrite that file with the imported rule.' });
          continue;
        }
        if (pathExists(target) && !options.force) {
          result.refused.push({ from, reason: `${file} exists (rule ${rule.id})`, hint: 'Pass --force to overwrite it, or --out <dir> to write elsewhere.' });
          continue;
        }
        planned.add(target);
        writeSource(target, placeRuleText(rule.text, file));
        result.imported.push({ from, file, id: rule.id, name: rule.name, notes: rule.notes });
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result.refused.push({ from, reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    }
  }
  return result;
}

/** Rule id (lower case) → absolute path of the YAML file that holds it, over every folder at any depth. */
function existingRuleFiles(root: string, folders: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of [...new Set(folders)].flatMap((folder) => findYamlFiles(folder))) {
    const source = readSource(root, file);
    const parsed = parseYaml(source.path, source.text);
    const id = parsed.ok ? asString(asRecord(parsed.document.value)?.id) : undefined;
    if (id && !out.has(id.toLowerCase())) out.set(id.toLowerCase(), file);
  }
  return out;
}
