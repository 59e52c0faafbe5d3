import { describe, expect, it } from 'vitest';
import { calls, callsGh, nodeFile, npmRun, words } from './shell.ts';

describe('words', () => {
  it('groups quotes, marks variables, reads conditional flags', () => {
    expect(words(`plan --env "$SENTINEL_ENV" 'literal $x' \${PRUNE:+--prune} "origin/$BASE"`)).toEqual([
      { text: 'plan', dynamic: false },
      { text: '--env', dynamic: false },
      { text: '$SENTINEL_ENV', dynamic: true },
      { text: 'literal $x', dynamic: false },
      { text: '--prune', dynamic: false },
      { text: 'origin/$BASE', dynamic: true },
    ]);
  });
});

describe('calls', () => {
  it.each([
    ['npm ci --no-audit', [['npm', 1, false, 'ci --no-audit']]],
    ['status=0\nnpm run --silent cli -- plan --env dev > plan.md || status=$?', [['npm', 2, true, 'run --silent cli -- plan --env dev']]],
    ['npm run cli -- validate \\\n  --format github', [['npm', 1, false, 'run cli -- validate --format github']]],
    ['x="$(npm run cli -- validate)"', [['npm', 1, true, 'run cli -- validate']]],
    ['npm test 2> err.log', [['npm', 1, false, 'test']]],
    ['npm run build | tee build.log', [['npm', 1, true, 'run build']]],
    ['npm run build || echo failed', [['npm', 1, false, 'run build']]],
    [
      'if ! npm test; then npx eslint .; fi',
      [
        ['npm', 1, false, 'test'],
        ['npx', 1, false, 'eslint .'],
      ],
    ],
    [
      'node .github/scripts/tool.mjs deploy.json "title" >> "$GITHUB_STEP_SUMMARY"',
      [['node', 1, true, '.github/scripts/tool.mjs deploy.json title']],
    ],
    ['echo npm is not called here', []],
  ])('%j', (script, expected) => {
    expect(calls(script).map((c) => [c.program, c.line, c.captured, c.words.map((w) => w.text).join(' ')])).toEqual(expected);
  });
});

describe('callsGh', () => {
  it.each([
    ['gh pr comment "$PR" --body-file plan.md', true],
    ['set -e\nif [ -n "$PR" ]; then gh api repos/x; fi', true],
    ['echo done && gh issue create', true],
    ['echo "$(gh auth status)"', true],
    ['npm run cli -- validate --format github', false],
    ['echo high gh-pages', false],
  ])('%j → %s', (script, expected) => {
    expect(callsGh(script)).toBe(expected);
  });
});

describe('npmRun and nodeFile', () => {
  const first = (script: string) => calls(script)[0]!;
  it.each([
    ['npm run --silent cli -- plan --env dev', { verb: 'run', script: 'cli', args: ['plan', '--env', 'dev'] }],
    ['npm --silent run build', { verb: 'run', script: 'build', args: [] }],
    ['npm run-script cli validate', { verb: 'run-script', script: 'cli', args: ['validate'] }],
    ['npm test', { verb: 'test', args: [] }],
    ['npm install left-pad', { verb: 'install', args: ['left-pad'] }],
  ])('%s', (script, expected) => {
    const run = npmRun(first(script));
    expect({ ...run, args: run.args.map((w) => w.text) }).toEqual(expected);
  });

  it.each([
    ['node .github/scripts/tool.mjs x.json', '.github/scripts/tool.mjs'],
    ["node -e 'console.log(1)'", undefined],
    ['node "$SCRIPT"', undefined],
  ])('%s runs %s', (script, expected) => {
    expect(nodeFile(first(script))).toBe(expected);
  });
});
