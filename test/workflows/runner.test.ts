// The workflows' own shell logic, run locally by the dry-run runner: a fake `npm` on PATH records the
// exact command lines and answers with prepared output, so no cloud and no GitHub API is involved.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, unwrapExpression } from './expressions.ts';
import { defaultContexts, parseCommandFile, runJob, setContext, type RunOptions } from './runner.ts';
import { readWorkflow, type Workflow } from './workflow.ts';

const root = join(import.meta.dirname, '..', '..');
const workflow = (name: string) => readWorkflow(join(root, '.github', 'workflows', name), root);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch working folder with a fake npm. */
function sandbox(outputs: Record<string, string> = {}, exitCode = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-test-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'bin'));
  // Answers `--format X` with the prepared out.X and records every call.
  writeFileSync(
    join(dir, 'bin', 'npm'),
    '#!/usr/bin/env bash\nprintf \'%s\\n\' "$*" >> "$FAKE/npm.log"\nformat=""\nwhile [ $# -gt 0 ]; do if [ "$1" = --format ]; then format="$2"; fi; shift; done\n' +
      '[ -n "$format" ] && [ -e "$FAKE/out.$format" ] && cat "$FAKE/out.$format"\nexit "$FAKE_EXIT"\n',
  );
  chmodSync(join(dir, 'bin', 'npm'), 0o755);
  for (const [format, text] of Object.entries(outputs)) writeFileSync(join(dir, `out.${format}`), text);
  const baseEnv = { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, FAKE: dir, FAKE_EXIT: String(exitCode), HOME: dir };
  const npmLog = () => (existsSync(join(dir, 'npm.log')) ? readFileSync(join(dir, 'npm.log'), 'utf8').trim().split('\n') : []);
  return { dir, baseEnv, npmLog, read: (path: string) => readFileSync(join(dir, path), 'utf8') };
}

function run(
  wf: Workflow,
  job: string,
  box: ReturnType<typeof sandbox>,
  set: Record<string, string> = {},
  extra: Partial<RunOptions> = {},
) {
  const contexts = defaultContexts(wf, job, 'abcdef0123456789abcdef0123456789abcdef01');
  for (const [path, value] of Object.entries(set)) setContext(contexts, path, value);
  const report = runJob({ workflow: wf, job, contexts, cwd: box.dir, exec: true, baseEnv: box.baseEnv, ...extra });
  const action = (label: string) => report.steps.find((s) => s.label.startsWith(label))?.action;
  return { report, action };
}

describe('pr.yml', () => {
  const pr = workflow('pr.yml');

  it('plans a same-repository pull request with the CLI markdown, into the summary and the comment file', () => {
    const box = sandbox({ markdown: '<!-- sentinel-plan -->\n### Sentinel plan · `prod`\n' });
    const { report, action } = run(pr, 'plan', box, { 'matrix.environment': 'prod' }, { select: ['Install', 'Plan'] });
    expect(report.status).toBe('success');
    expect(action('Log in to Azure')).toBe('skipped-action');
    expect(action('Plan skipped')).toBe('skipped-if');
    expect(box.npmLog()).toEqual(['ci --no-audit --no-fund', 'run --silent cli -- plan --env prod --format markdown']);
    expect(box.read('plan/prod.md')).toBe('<!-- sentinel-plan -->\n### Sentinel plan · `prod`\n');
    expect(report.summary).toContain('### Sentinel plan · `prod`');
  });

  it('keeps a failed plan visible: a caution in the comment file, a failed job', () => {
    const box = sandbox({}, 1);
    const { report } = run(pr, 'plan', box, {}, { select: ['Plan'] });
    expect(report.status).toBe('failure');
    expect(box.read('plan/dev.md')).toContain('> The plan for `dev` failed (exit 1)');
  });

  it('notes a plan that did not run (install or login failed) for the comment', () => {
    const box = sandbox({}, 1);
    const { report, action } = run(pr, 'plan', box, { 'matrix.environment': 'prod' });
    expect(box.npmLog()).toEqual(['ci --no-audit --no-fund']);
    expect(action('Plan')).toBe('skipped-if');
    expect(action('Note a plan that did not run')).toBe('ran');
    expect(report.status).toBe('failure');
    expect(box.read('plan/prod.md')).toBe(
      '<!-- sentinel-plan -->\n> [!CAUTION]\n> The plan for `prod` did not run (install or Azure login failed): see the log of the job "plan prod".\n',
    );
  });

  it("gives a fork no credentials: the cloud steps are skipped and a note takes the plan's place", () => {
    const box = sandbox();
    const { report } = run(pr, 'plan', box, { 'github.event.pull_request.head.repo.full_name': 'someone/fork' });
    expect(report.steps.filter((s) => s.action === 'skipped-if').map((s) => s.label)).toEqual([
      'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020',
      'Install',
      'Log in to Azure (read-only plan identity, OIDC)',
      'Plan',
      'Note a plan that did not run',
    ]);
    expect(report.steps.filter((s) => s.action === 'ran').map((s) => s.label)).toEqual(['Plan skipped (pull request from a fork)']);
    expect(box.npmLog()).toEqual([]);
    expect(box.read('plan/dev.md')).toMatch(/^<!-- sentinel-plan -->\n### Plan for `dev`: skipped/);
    expect(report.summary).toContain('forks get no cloud credentials');
    expect(report.steps.find((s) => s.label.startsWith('Plan skipped'))?.stdout).toContain('::notice title=plan dev skipped::');
  });

  it('composes one comment with the marker first and every environment, and only prints the gh step', () => {
    const box = sandbox();
    mkdirSync(join(box.dir, 'plan'));
    writeFileSync(join(box.dir, 'plan', 'prod.md'), '<!-- sentinel-plan -->\nPROD PLAN\n');
    writeFileSync(join(box.dir, 'plan', 'dev.md'), '<!-- sentinel-plan -->\nDEV PLAN\n');
    const { report, action } = run(pr, 'comment', box);
    const comment = box.read('comment.md');
    expect(comment.startsWith('<!-- sentinel-plan -->\nPlan of abcdef012345 against the live workspaces')).toBe(true);
    expect(comment.indexOf('DEV PLAN')).toBeLessThan(comment.indexOf('PROD PLAN'));
    expect(action('Create or update the plan comment')).toBe('skipped-gh');
    expect(report.status).toBe('success');
  });

  it('cuts a comment that GitHub would refuse', () => {
    const box = sandbox();
    mkdirSync(join(box.dir, 'plan'));
    writeFileSync(join(box.dir, 'plan', 'dev.md'), `${'x'.repeat(80)}\n`.repeat(1000));
    run(pr, 'comment', box);
    const comment = box.read('comment.md');
    expect(comment.length).toBeLessThan(65_536);
    expect(comment.trimEnd().endsWith('the full plans are in the job summaries of the run.')).toBe(true);
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  it.each([
    [{}, 'success', '1', '[1]'],
    [{ 'inputs.shards': '3' }, 'success', '3', '[1,2,3]'],
    // On push there are no inputs: the repository variable decides.
    [{ 'vars.DEPLOY_SHARDS': '2' }, 'success', '2', '[1,2]'],
    [{ 'inputs.shards': '4', 'vars.DEPLOY_SHARDS': '2' }, 'success', '4', '[1,2,3,4]'],
    [{ 'inputs.shards': '0' }, 'failure', undefined, undefined],
    [{ 'vars.DEPLOY_SHARDS': 'many' }, 'failure', undefined, undefined],
  ])('shards from %j', (set, status, count, list) => {
    const box = sandbox();
    const { report } = run(deploy, 'check', box, set, { select: ['Shards'] });
    expect(report.status).toBe(status);
    expect(report.outputs.shards?.count).toBe(count);
    expect(report.outputs.shards?.list).toBe(list);
  });

  it("deploys its shard with progress in the log and the CLI's markdown report as the summary", () => {
    const box = sandbox({ markdown: '### Sentinel deploy · `prod`\n\n| Workspace | Status |\n' });
    const { report } = run(
      deploy,
      'deploy-prod',
      box,
      { 'matrix.shard': '2', 'needs.check.outputs.count': '3', 'inputs.prune': 'true' },
      { select: ['Deploy', 'Summary'] },
    );
    expect(box.npmLog()).toEqual(['run --silent cli -- deploy --env prod --shard 2/3 --format markdown --prune']);
    expect(report.summary).toBe('### Sentinel deploy · `prod`\n\n| Workspace | Status |\n');
  });

  it('says so in the summary when deploy wrote no report, and fails', () => {
    const box = sandbox({}, 1);
    const { report } = run(
      deploy,
      'deploy-dev',
      box,
      { 'matrix.shard': '1', 'needs.check.outputs.count': '1' },
      { select: ['Deploy', 'Summary'] },
    );
    expect(box.npmLog()).toEqual(['run --silent cli -- deploy --env dev --shard 1/1 --format markdown']);
    expect(report.status).toBe('failure');
    expect(report.summary).toContain('### Sentinel deploy to dev (shard 1/1) stopped before its report: see the job log');
  });
});

describe('sync-ipsum.yml', () => {
  const sync = workflow('sync-ipsum.yml');
  const matrix = (inputs: Record<string, unknown>) => {
    const spec = (sync.jobs[0]!.raw.strategy as { matrix: { environment: string } }).matrix.environment;
    return evaluate(unwrapExpression(spec) ?? spec, { inputs: inputs as never });
  };

  it.each([
    [{}, ['dev', 'prod']],
    [{ environment: 'all' }, ['dev', 'prod']],
    [{ environment: 'prod' }, ['prod']],
    [{ environment: 'dev' }, ['dev']],
  ])('inputs %j sync %j', (inputs, expected) => {
    expect(matrix(inputs)).toEqual(expected);
  });

  it("runs a dry run with --dry-run and puts the CLI's markdown report (counts, budget) in the summary", () => {
    const box = sandbox({ markdown: '### Watchlist sync · `ipsum` → `dev` · dry run, nothing written\n' });
    const { report } = run(sync, 'sync', box, { 'inputs.dry-run': 'true' }, { select: ['Sync', 'Summary'] });
    expect(box.npmLog()).toEqual(['run --silent cli -- sync-watchlist ipsum --env dev --format markdown --dry-run']);
    expect(report.summary).toBe('### Watchlist sync · `ipsum` → `dev` · dry run, nothing written\n');
  });

  it('fails visibly when the CLI refuses (guard, budget, feed), with the report or a note in the summary', () => {
    const guarded = sandbox({ markdown: '| prod-westeurope | ⛔ guard |\n' }, 1);
    const { report } = run(sync, 'sync', guarded, { 'matrix.environment': 'prod' }, { select: ['Sync', 'Summary'] });
    expect(guarded.npmLog()).toEqual(['run --silent cli -- sync-watchlist ipsum --env prod --format markdown']);
    expect(report.status).toBe('failure');
    expect(report.steps.find((s) => s.label === 'Sync')?.stdout).toContain(
      '::error title=IPsum sync failed (prod)::sync-watchlist exited 1',
    );
    expect(report.summary).toBe('| prod-westeurope | ⛔ guard |\n');
    const refused = sandbox({}, 1);
    const second = run(sync, 'sync', refused, { 'matrix.environment': 'prod' }, { select: ['Sync', 'Summary'] });
    expect(second.report.status).toBe('failure');
    expect(second.report.summary).toContain(
      '### IPsum sync to prod stopped before its report (feed refused or a usage error): see the job log',
    );
  });
});

describe('drift.yml', () => {
  const drift = workflow('drift.yml');
  const plan = (actions: string[]) =>
    JSON.stringify({ workspaces: [{ name: 'w', changes: actions.map((action, i) => ({ type: 'alertRule', id: `r${i}`, action })) }] });

  it.each([
    [['noop', 'noop'], 'success', '0'],
    [['noop', 'update', 'delete'], 'failure', '2'],
  ])('plan %j → %s with %s change(s)', (actions, status, count) => {
    const box = sandbox({ json: plan(actions), markdown: '<!-- sentinel-plan -->\nTHE PLAN\n' });
    const { report } = run(drift, 'plan', box, {}, { select: ['Plan', 'Compare'] });
    expect(box.npmLog()).toEqual([
      'run --silent cli -- plan --env dev --format json',
      'run --silent cli -- plan --env dev --format markdown',
    ]);
    expect(report.status).toBe(status);
    expect(box.read('drift/dev.count').trim()).toBe(count);
    expect(report.summary).toContain('THE PLAN');
  });

  it('writes one issue body with the drifted environments only, and only prints the gh step', () => {
    const box = sandbox();
    mkdirSync(join(box.dir, 'drift'));
    for (const [env, count] of [
      ['dev', '0'],
      ['prod', '2'],
    ] as const) {
      writeFileSync(join(box.dir, 'drift', `${env}.count`), `${count}\n`);
      writeFileSync(join(box.dir, 'drift', `${env}.md`), `${env.toUpperCase()} PLAN\n`);
    }
    const { report, action } = run(drift, 'issue', box);
    expect(report.outputs.compose).toEqual({ drifted: 'prod' });
    const body = box.read('issue.md');
    expect(body.startsWith('<!-- sentinel-drift -->\nThe live workspaces of **prod** differ from the repository')).toBe(true);
    expect(body).toContain('PROD PLAN');
    expect(body).not.toContain('DEV PLAN');
    expect(action('Open or update the drift issue')).toBe('skipped-gh');
  });

  it('opens no issue without drift', () => {
    const box = sandbox();
    mkdirSync(join(box.dir, 'drift'));
    writeFileSync(join(box.dir, 'drift', 'dev.count'), '0\n');
    const { report, action } = run(drift, 'issue', box);
    expect(report.outputs.compose).toEqual({ drifted: '' });
    expect(action('Open or update the drift issue')).toBe('skipped-if');
    expect(existsSync(join(box.dir, 'issue.md'))).toBe(false);
  });
});

describe('parseCommandFile', () => {
  it('reads KEY=value lines and KEY<<DELIM blocks', () => {
    expect(parseCommandFile('a=1\nb=x=y\nbody<<EOF\nline 1\nline 2\nEOF\n')).toEqual({ a: '1', b: 'x=y', body: 'line 1\nline 2' });
    expect(() => parseCommandFile('body<<EOF\nno end\n')).toThrow(/unterminated body<<EOF/);
  });
});
