// The docs (README.md and docs/*.md) document every diagnostic code the code can emit, and every npm
// script they tell people to run exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/content.ts';

function files(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, extension) : path.endsWith(extension) ? [path] : [];
  });
}
const sources = (dir: string): string[] => files(dir, '.ts');

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const docs = [readme, ...files(join(repoRoot, 'docs'), '.md').map((path) => readFileSync(path, 'utf8'))].join('\n');

describe('README and docs/', () => {
  it('documents every diagnostic code', () => {
    const pattern = /'((?:yaml|schema|rule|watchlist|workspaces|collection|kql|lint|compile|lock|feed|hunting)\.[a-z][a-z-]*)'/g;
    const codes = new Set<string>();
    for (const file of sources(join(repoRoot, 'scripts'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(pattern)) if (!/\.(yaml|json|ts)$/.test(match[1]!)) codes.add(match[1]!);
    }
    expect(codes.size).toBeGreaterThan(60);
    expect([...codes].filter((code) => !docs.includes(`\`${code}\``)).sort()).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const named = new Set([...docs.matchAll(/npm run (?:--silent )?([a-z][\w:-]*)/g)].map((m) => m[1]!));
    expect([...named].filter((name) => !scripts.includes(name))).toEqual([]);
    for (const script of ['build', 'cli', 'bench', 'emulator']) expect(named).toContain(script);
  });

  it('links every docs/ page from the README, and every relative link resolves', () => {
    const pages = files(join(repoRoot, 'docs'), '.md').map((path) => relative(repoRoot, path).split(sep).join('/'));
    expect(pages.length).toBeGreaterThanOrEqual(9);
    expect(pages.filter((page) => !readme.includes(`](${page})`) && !readme.includes(`](${page}#`))).toEqual([]);
    const broken: string[] = [];
    for (const path of [join(repoRoot, 'README.md'), ...files(join(repoRoot, 'docs'), '.md')]) {
      for (const [, target] of readFileSync(path, 'utf8').matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(resolve(dirname(path), target!))) broken.push(`${relative(repoRoot, path)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the README a landing page of a few screens', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(160);
  });

  it('cites no document a user of the repository does not have (say the fact, or point at docs/)', () => {
    const offenders = [...sources(join(repoRoot, 'scripts')), ...sources(join(repoRoot, 'test'))]
      .filter((path) => /\bGUIDE\b|\.\.\/shared\/GUIDE/.test(readFileSync(path, 'utf8')) && !path.endsWith('docs.test.ts'))
      .map((path) => relative(repoRoot, path));
    expect(offenders).toEqual([]);
  });

  it('keeps the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm run build');
    expect(readme).toContain('npm test');
  });
});
