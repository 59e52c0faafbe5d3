// One formatter (Prettier, configured in .prettierrc.json) and its check runs first in `npm test`, over
// every source file: a diff in a pull request is a change of code, never of layout.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/content.ts';
import { tempDir } from './support/temp.ts';

const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const prettier = createRequire(import.meta.url).resolve('prettier/bin/prettier.cjs');

/** The file arguments of a `prettier …` script: quoted globs and bare paths after the options. */
function targets(script: string): string[] {
  return [...script.matchAll(/"([^"]+)"|(\S+)/g)]
    .map((m) => m[1] ?? m[2]!)
    .slice(1)
    .filter((arg, i, args) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--log-level'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** `prettier --check` with the repository's configuration on `files`, run in `cwd`. */
function check(cwd: string, files: string[]): { status: number | null; output: string } {
  // --no-color: CI runners set FORCE_COLOR, which would wrap `warn` in escape codes.
  const run = spawnSync(process.execPath, [prettier, '--no-color', '--config', join(repoRoot, '.prettierrc.json'), '--check', ...files], {
    cwd,
    encoding: 'utf8',
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('formatting', () => {
  it('npm test checks the formatting first, over the same files `npm run format` writes', () => {
    expect(scripts.test).toBe('npm run -s format:check && tsc --noEmit && vitest run');
    expect(scripts['format:check']!.startsWith('prettier --check ')).toBe(true);
    expect(scripts.format!.startsWith('prettier --write ')).toBe(true);
    expect(targets(scripts['format:check']!)).toStrictEqual(targets(scripts.format!));
  });

  it('the checked globs cover every TypeScript and JavaScript source of the repository', () => {
    const globs = targets(scripts['format:check']!);
    expect(globs).toStrictEqual(['scripts/**/*.{ts,js}', 'test/**/*.ts', 'vitest.config.ts']);
    const files = [
      ...sourceFiles(join(repoRoot, 'scripts')),
      ...sourceFiles(join(repoRoot, 'test')),
      join(repoRoot, 'vitest.config.ts'),
    ].map((f) => relative(repoRoot, f).split('\\').join('/'));
    expect(files.length).toBeGreaterThan(300);
    expect(files.filter((f) => !globs.some((g) => matchesGlob(f, g)))).toStrictEqual([]);
  });

  it('the check fails on an unformatted file and names it, and passes once it is formatted', () => {
    const dir = tempDir('format');
    writeFileSync(join(dir, 'bad.ts'), 'export const  x = {a:1,\n  b: "two"}\n');
    copyFileSync(join(repoRoot, 'scripts/core/text/bom.ts'), join(dir, 'good.ts'));
    const before = check(dir, ['bad.ts', 'good.ts']);
    expect(before.status).toBe(1);
    expect(before.output).toContain('[warn] bad.ts');
    expect(before.output).not.toContain('good.ts');

    const write = spawnSync(process.execPath, [prettier, '--config', join(repoRoot, '.prettierrc.json'), '--write', 'bad.ts'], {
      cwd: dir,
    });
    expect(write.status).toBe(0);
    expect(readFileSync(join(dir, 'bad.ts'), 'utf8')).toBe("export const x = { a: 1, b: 'two' };\n");
    expect(check(dir, ['bad.ts', 'good.ts']).status).toBe(0);
  });
});
