// actionlint over every workflow of the repository (must be clean) and over the deliberately bad
// fixtures (must find exactly what it covers; pinning, permissions and the CLI contract are the policy
// checks' job: policy.test.ts).
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFinding, lintWorkflow } from './actionlint.ts';
import { workflowFiles } from './workflow.ts';

const root = join(import.meta.dirname, '..', '..');
const workflows = workflowFiles(join(root, '.github', 'workflows'));
const fixtures = join(root, 'test', 'fixtures', 'workflows');

async function lint(path: string) {
  return lintWorkflow(readFileSync(path, 'utf8'), relative(root, path));
}

describe('actionlint on .github/workflows', () => {
  it('finds the four workflows', () => {
    expect(workflows.map((f) => basename(f))).toEqual(expect.arrayContaining(['deploy.yml', 'drift.yml', 'pr.yml', 'sync-ipsum.yml']));
  });

  it.each(workflows.map((f) => [basename(f), f]))('%s has no finding', async (_, path) => {
    const findings = await lint(path);
    expect(findings.map((f) => formatFinding(relative(root, path), f))).toEqual([]);
  });
});

describe('actionlint on the bad fixtures', () => {
  it.each([
    [
      'broken.yml',
      [
        [6, 'events'],
        [9, 'syntax-check'],
        [14, 'job-needs'],
        [21, 'expression'],
      ],
    ],
    [
      'interpolation-in-run.yml',
      [
        [17, 'expression'],
        [19, 'expression'],
      ],
    ],
    // Out of actionlint's scope, caught by the policy checks:
    ['unpinned-action.yml', []],
    ['missing-script.yml', []],
    ['id-token-top-level.yml', []],
    ['pull-request-target.yml', []],
  ] as const)('%s → %j', async (name, expected) => {
    const findings = await lint(join(fixtures, name));
    expect(findings.map((f) => [f.line, f.kind])).toEqual(expected);
  });

  it('names the untrusted input it found', async () => {
    const findings = await lint(join(fixtures, 'interpolation-in-run.yml'));
    expect(findings.map((f) => /"([^"]+)" is potentially untrusted/.exec(f.message)?.[1])).toEqual([
      'github.event.pull_request.title',
      'github.head_ref',
    ]);
  });
});
