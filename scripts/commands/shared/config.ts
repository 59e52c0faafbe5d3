// workspaces.yaml alone, through validate's per-file layers, for commands that need the workspaces but
// not the rules (schema pull, import --from-workspace): a broken rule does not stop them.
import { resolve } from 'node:path';
import { ContentError, UsageError } from '../../core/errors.ts';
import type { WorkspacesYaml } from '../../core/model/yaml-types.ts';
import { checkFile } from '../../core/validate/validate.ts';
import { pathExists, readSource } from '../../io/content.ts';

export function readWorkspacesConfig(root: string, config: string | undefined, then: string): WorkspacesYaml {
  const configFile = config ?? 'workspaces.yaml';
  const path = resolve(root, configFile);
  if (!pathExists(path))
    throw new UsageError(`${configFile} does not exist`, 'Pass --config <file>, or create workspaces.yaml (see docs/content-format.md).');
  const source = readSource(root, path);
  const checked = checkFile(source, 'workspaces');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (!checked.document || errors.length > 0) {
    const shown = errors
      .slice(0, 5)
      .map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)
      .join('; ');
    throw new ContentError(
      `${source.path} is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}): ${shown}`,
      `Run \`npm run cli -- validate\` for every problem with its position, fix them, then ${then} again.`,
    );
  }
  return checked.document.value as WorkspacesYaml;
}
