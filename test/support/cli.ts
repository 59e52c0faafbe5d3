// Runs the real CLI code in-process against a temporary repository, capturing stdout and stderr.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from '../../scripts/cli.ts';
import { repoRoot } from './content.ts';
import { tempDir } from './temp.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  root: string,
  args: string[],
  options: { env?: Record<string, string>; isTTY?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    root,
    env: options.env ?? {},
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: options.isTTY ?? false,
  });
  return { code, stdout, stderr };
}

/** A temporary repository: the given files (repo-relative path → text) plus the real table schemas. */
export function tempRepo(files: Record<string, string>): string {
  const root = tempDir('sentinel-repo');
  cpSync(join(repoRoot, 'schemas'), join(root, 'schemas'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
