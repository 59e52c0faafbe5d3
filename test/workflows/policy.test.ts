// The policy checks: clean on .github/workflows, and every rule shown failing on a bad fixture.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSpec } from './cli-spec.ts';
import { checkWorkflow, RULES, type Project, type Rule } from './policy.ts';
import { calls, npmRun } from './shell.ts';
import { parseWorkflow, readWorkflow, workflowFiles } from './workflow.ts';

const root = join(import.meta.dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const project: Project = {
  scripts: new Set(Object.keys(packageJson.scripts)),
  commands: cliSpec(),
  exists: (path) => existsSync(join(root, path)),
};
const workflows = workflowFiles(join(root, '.github', 'workflows')).map((f) => readWorkflow(f, root));
const fixture = (name: string) => readWorkflow(join(root, 'test', 'fixtures', 'workflows', name), root);
const rulesOf = (name: string) =>
  checkWorkflow(fixture(name), project)
    .map((f) => f.rule)
    .sort();

describe('policy on .github/workflows', () => {
  it.each(workflows.map((w) => [basename(w.file), w]))('%s follows every rule', (_, workflow) => {
    expect(checkWorkflow(workflow, project).map((f) => `${f.where}: [${f.rule}] ${f.message}`)).toEqual([]);
  });

  it('runs exactly the npm commands of the documented CLI contract', () => {
    const used = new Set<string>();
    const commands = new Set<string>();
    for (const workflow of workflows) {
      for (const step of workflow.jobs.flatMap((j) => j.steps)) {
        for (const call of calls(step.run ?? '').filter((c) => c.program === 'npm')) {
          const run = npmRun(call);
          used.add(run.script ? `npm run ${run.script}` : `npm ${run.verb}`);
          if (run.script === 'cli' && run.args[0]) commands.add(run.args[0].text);
        }
      }
    }
    // the documented commands: npm ci, npm run build, npm test, npm run cli -- <command>.
    expect([...used].sort()).toEqual(['npm ci', 'npm run build', 'npm run cli', 'npm test']);
    expect([...commands].sort()).toEqual(['deploy', 'plan', 'sync-watchlist', 'validate']);
  });
});

describe('policy on the bad fixtures', () => {
  const expected: [string, Rule[]][] = [
    ['unpinned-action.yml', ['uses/pinned', 'uses/pinned']],
    [
      'missing-script.yml',
      ['cli/choice', 'cli/command', 'cli/option', 'node/file', 'npm/command', 'npm/command', 'npm/script', 'npm/silent'],
    ],
    ['id-token-top-level.yml', ['permissions/id-token', 'permissions/job-missing', 'permissions/top-level']],
    ['interpolation-in-run.yml', ['run/interpolation', 'run/interpolation', 'run/interpolation']],
    ['shared-identity.yml', ['concurrency/shard', 'identity/least-privilege', 'identity/least-privilege']],
    [
      'pull-request-target.yml',
      [
        'checkout/persist-credentials',
        'concurrency/deploy',
        'identity/least-privilege',
        'job/timeout',
        'permissions/id-token',
        'permissions/write',
        'permissions/write',
        'permissions/write',
        'trigger/pull-request-target',
      ],
    ],
  ];

  it.each(expected)('%s → %j', (name, rules) => {
    expect(rulesOf(name)).toEqual(rules);
  });

  it('shows every rule failing on some fixture', () => {
    const shown = new Set(expected.flatMap(([name]) => rulesOf(name)));
    expect([...shown].sort()).toEqual(Object.keys(RULES).sort());
  });

  it('says what is wrong and where', () => {
    const findings = checkWorkflow(fixture('missing-script.yml'), project);
    const message = (rule: Rule) => findings.find((f) => f.rule === rule);
    expect(message('npm/script')).toMatchObject({ where: 'jobs.check.steps[2] (npm run deploy-everything) line 1' });
    expect(message('npm/script')?.message).toMatch(/npm run deploy-everything: no such script in package\.json \(scripts: .*cli/);
    expect(message('cli/command')?.message).toMatch(/no command 'frobnicate' \(commands: .*validate/);
    expect(message('cli/option')?.message).toMatch(/^validate has no option --frobnicate/);
    expect(message('cli/choice')?.message).toMatch(/^validate --format yaml: expected one of text, json, github/);
    expect(message('npm/silent')?.message).toContain('npm run --silent cli');
    const pins = checkWorkflow(fixture('unpinned-action.yml'), project).map((f) => f.where);
    expect(pins).toEqual(['line 12', 'line 15']);
  });
});

describe('policy details', () => {
  const check = (yaml: string) => checkWorkflow(parseWorkflow('inline.yml', yaml), project).map((f) => f.rule);
  const job = (permissions: string, steps: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n    permissions: ${permissions}\n    steps:\n${steps}`;

  it.each([
    ['read-all at the top level is read-only', 'on: push\npermissions: read-all\njobs: {}\n', []],
    [
      'write-all at the top level is not',
      'on: push\npermissions: write-all\njobs: {}\n',
      ['permissions/id-token', 'permissions/top-level'],
    ],
    ['no top-level permissions', 'on: push\njobs: {}\n', ['permissions/top-level']],
    ['issues: write in a job that calls gh', job('{issues: write}', '      - run: gh issue list\n'), []],
    [
      'issues: write next to id-token',
      job(
        '{issues: write, id-token: write}',
        '      - uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n        with: {client-id: "${{ vars.AZURE_PLAN_CLIENT_ID }}"}\n      - run: gh issue list\n',
      ),
      ['permissions/write'],
    ],
    ['a conditional flag is checked', job('{}', '      - run: npm run cli -- validate ${X:+--nope}\n'), ['cli/option']],
    ['a dynamic command cannot be checked', job('{}', '      - run: npm run cli -- "$COMMAND"\n'), ['cli/command']],
    ['a dynamic option value is not', job('{}', '      - run: npm run cli -- validate --format "$FORMAT"\n'), []],
    ['stderr redirect is not a capture', job('{}', '      - run: npm run cli -- validate 2> errors.txt\n'), []],
    ['a pipe is', job('{}', '      - run: npm run cli -- validate | tee out.txt\n'), ['npm/silent']],
    ['a command substitution is', job('{}', '      - run: out="$(npm run cli -- validate)"\n'), ['npm/silent']],
    ['local actions need no pin', job('{}', '      - uses: ./.github/actions/local\n'), []],
    [
      'a workflow-level group covers every shard of every run',
      `${job('{id-token: write}', '      - uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n        with: {client-id: "${{ vars.AZURE_CLIENT_ID }}"}\n      - run: npm run cli -- deploy --env dev --shard "$SHARD"\n').replace('permissions: {}\n', 'permissions: {}\nconcurrency: {group: deploy, cancel-in-progress: false}\n')}    environment: dev\n`,
      [],
    ],
    [
      'a group per matrix environment is fine',
      `${job('{id-token: write}', '      - uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n        with: {client-id: "${{ vars.AZURE_SYNC_CLIENT_ID }}"}\n      - run: npm run cli -- sync-watchlist ipsum --env "$E"\n')}    environment: sync-\${{ matrix.environment }}\n    concurrency: {group: 'sync-\${{ matrix.environment }}', cancel-in-progress: false}\n`,
      [],
    ],
    [
      'a concurrency group that cancels',
      `${job('{id-token: write}', '      - uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n        with: {client-id: "${{ vars.AZURE_PLAN_CLIENT_ID }}"}\n')}    environment: dev\n    concurrency: {group: x, cancel-in-progress: true}\n`,
      ['concurrency/deploy'],
    ],
  ])('%s', (_, yaml, rules) => {
    expect(check(yaml).sort()).toEqual(rules);
  });
});
