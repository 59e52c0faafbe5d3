// The project's rules for its GitHub Actions workflows (security and the CLI contract), as data checks
// over a parsed workflow. test/workflows/policy.test.ts runs them on .github/workflows and shows each
// rule failing on a fixture under test/fixtures/workflows.
import type { CommandSpec } from './cli-spec.ts';
import { calls, callsGh, nodeFile, npmRun, type Call } from './shell.ts';
import { isMapping, stepLabel, type Job, type Workflow } from './workflow.ts';

export const RULES = {
  'trigger/pull-request-target': 'no pull_request_target: it runs with the base repository token and secrets',
  'permissions/top-level': 'top-level permissions are {} or read-only',
  'permissions/job-missing': 'every job declares its permissions',
  'permissions/id-token': 'id-token: write only in jobs that log in to Azure',
  'permissions/write': 'pull-requests/issues: write only in jobs that call the GitHub API without cloud credentials; no other write scope',
  'uses/pinned': 'every action pinned to a full commit SHA with its version in a comment',
  'job/timeout': 'every job has timeout-minutes',
  'checkout/persist-credentials': 'actions/checkout with persist-credentials: false',
  'run/interpolation': 'no ${{ }} inside run: (pass values through env:)',
  'npm/script': 'every npm script a workflow runs exists in package.json',
  'npm/command': 'workflows install with npm ci and run npm scripts; no npx, npm install or npm exec',
  'npm/silent': 'npm run whose output is captured runs with --silent (else npm prints its banner into it)',
  'cli/command': 'npm run cli -- <command> names a command registered in scripts/program.ts',
  'cli/option': 'every flag passed to the CLI is an option of that command',
  'cli/choice': "a literal option value is one of the option's choices",
  'node/file': 'node <file> runs a file of the repository',
  'concurrency/deploy': 'jobs that write to an environment with cloud credentials have a concurrency group that does not cancel',
  'concurrency/shard':
    'that group does not vary with a matrix value other than the environment (runs with different shard counts would overlap)',
  'identity/least-privilege':
    'azure/login uses the deploy identity only in jobs that deploy, the sync identity in jobs that sync, the read-only plan identity elsewhere',
} as const;

export type Rule = keyof typeof RULES;

export interface Finding {
  file: string;
  rule: Rule;
  /** Where in the workflow: `permissions`, `jobs.plan`, `jobs.plan.steps[3] (Plan)`, `line 12`. */
  where: string;
  message: string;
}

export interface Project {
  /** Script names of package.json. */
  scripts: ReadonlySet<string>;
  /** The CLI's commands (cliSpec()). */
  commands: ReadonlyMap<string, CommandSpec>;
  /** Whether a repository-relative file exists. */
  exists(path: string): boolean;
}

const READ_ONLY = new Set(['read', 'none']);
const GITHUB_API_WRITES = new Set(['pull-requests', 'issues']);
const usesAzureLogin = (job: Job): boolean => job.steps.some((s) => s.uses?.toLowerCase().startsWith('azure/login@'));
const callsGitHubApi = (job: Job): boolean => job.steps.some((s) => callsGh(s.run ?? ''));

function scopeLevel(permissions: Job['permissions'], scope: string): string | undefined {
  if (permissions === 'write-all') return 'write';
  if (permissions === 'read-all') return scope === 'id-token' ? undefined : 'read';
  return typeof permissions === 'object' ? permissions[scope] : undefined;
}

function writeScopes(permissions: Job['permissions']): string[] {
  if (permissions === 'write-all') return ['*'];
  if (typeof permissions !== 'object') return [];
  return Object.keys(permissions)
    .filter((scope) => !READ_ONLY.has(permissions[scope]!))
    .sort();
}

export function checkWorkflow(workflow: Workflow, project: Project): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: Rule, where: string, message: string): void => {
    findings.push({ file: workflow.file, rule, where, message });
  };

  if (workflow.events.includes('pull_request_target')) {
    add(
      'trigger/pull-request-target',
      'on',
      'pull_request_target runs with the base repository token and secrets; use pull_request (forks then get no credentials)',
    );
  }

  const top = workflow.permissions;
  if (top === undefined)
    add(
      'permissions/top-level',
      'permissions',
      'declare top-level `permissions: {}` (or `contents: read`) so that jobs start with nothing',
    );
  else if (typeof top === 'string' ? top !== 'read-all' : writeScopes(top).length) {
    add(
      'permissions/top-level',
      'permissions',
      `top-level permissions must be {} or read-only, found ${JSON.stringify(top)}: grant writes per job`,
    );
  }
  if (scopeLevel(top, 'id-token') === 'write')
    add(
      'permissions/id-token',
      'permissions',
      'id-token: write at the top level gives every job a cloud token: grant it only in the job that runs azure/login',
    );

  for (const job of workflow.jobs) checkJob(workflow, job, project, add);
  checkPins(workflow, add);
  return findings;
}

type Add = (rule: Rule, where: string, message: string) => void;

function checkJob(workflow: Workflow, job: Job, project: Project, add: Add): void {
  const where = `jobs.${job.id}`;
  const reusableCall = typeof job.raw.uses === 'string';
  if (job.permissions === undefined)
    add('permissions/job-missing', where, 'declare the permissions this job needs (e.g. `contents: read`)');
  if (!reusableCall && job.raw['timeout-minutes'] === undefined)
    add('job/timeout', where, 'set timeout-minutes (the default is 360) so a hung run stops and releases its concurrency group');

  const idToken = scopeLevel(job.permissions, 'id-token') === 'write';
  if (idToken && !usesAzureLogin(job)) add('permissions/id-token', where, 'id-token: write without an azure/login step: remove it');
  for (const scope of writeScopes(job.permissions)) {
    if (scope === 'id-token') continue;
    if (!GITHUB_API_WRITES.has(scope)) add('permissions/write', where, `${scope}: write is not needed by this repository's workflows`);
    else if (idToken)
      add(
        'permissions/write',
        where,
        `${scope}: write next to id-token: write: comment or open issues from a separate job without cloud credentials`,
      );
    else if (!callsGitHubApi(job))
      add('permissions/write', where, `${scope}: write in a job that never calls the GitHub API (gh): remove it`);
  }

  const environment = job.raw.environment;
  if (idToken && environment !== undefined) {
    const concurrency = job.raw.concurrency ?? workflow.raw.concurrency;
    const cancels =
      isMapping(concurrency) && concurrency['cancel-in-progress'] !== false && concurrency['cancel-in-progress'] !== undefined;
    if (concurrency === undefined || cancels) {
      add(
        'concurrency/deploy',
        where,
        'a job that writes to an environment needs `concurrency: {group: …, cancel-in-progress: false}` so two runs never interleave',
      );
    }
    const group = String((isMapping(concurrency) ? concurrency.group : concurrency) ?? '');
    const envText = typeof environment === 'string' ? environment : JSON.stringify(environment);
    for (const [, key] of group.matchAll(/matrix\.([\w-]+)/g)) {
      if (!envText.includes(`matrix.${key}`)) {
        add(
          'concurrency/shard',
          where,
          `the concurrency group varies with matrix.${key}: two runs with different matrices (say 1 shard and 2) would write the same workspaces at once; use one group per environment (or per workflow)`,
        );
      }
    }
  }
  checkIdentity(job, where, add);

  for (const step of job.steps) {
    const at = `${where}.steps[${step.index}] (${stepLabel(step)})`;
    if (step.uses?.toLowerCase().startsWith('actions/checkout@')) {
      const persist = step.with['persist-credentials'];
      if (persist !== false && persist !== 'false')
        add('checkout/persist-credentials', at, 'set `persist-credentials: false`: later steps must not find the token in .git/config');
    }
    if (step.run === undefined) continue;
    for (const match of step.run.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
      const expression = match[1]!.trim();
      const untrusted = /github\.event|inputs\.|github\.head_ref/.test(expression) ? ' (untrusted input: a script injection)' : '';
      add('run/interpolation', at, `\${{ ${expression} }} inside run:${untrusted}; pass it through env: and use "$NAME" in the script`);
    }
    for (const call of calls(step.run)) checkCall(call, at, project, add);
  }
}

/** Which Entra ID application a job may log in as, by the CLI commands it runs (docs/github-actions.md). */
const IDENTITY = { deploy: 'vars.AZURE_CLIENT_ID', sync: 'vars.AZURE_SYNC_CLIENT_ID', plan: 'vars.AZURE_PLAN_CLIENT_ID' } as const;

function checkIdentity(job: Job, where: string, add: Add): void {
  const commands = new Set(
    job.steps
      .flatMap((s) => calls(s.run ?? ''))
      .filter((c) => c.program === 'npm')
      .map(npmRun)
      .filter((r) => r.script === 'cli')
      .map((r) => r.args[0]?.text),
  );
  const role: keyof typeof IDENTITY = commands.has('deploy') ? 'deploy' : commands.has('sync-watchlist') ? 'sync' : 'plan';
  for (const step of job.steps.filter((s) => s.uses?.toLowerCase().startsWith('azure/login@'))) {
    const clientId = String(step.with['client-id'] ?? '').replace(/^\$\{\{\s*|\s*\}\}$/g, '');
    if (clientId !== IDENTITY[role]) {
      add(
        'identity/least-privilege',
        `${where}.steps[${step.index}] (${stepLabel(step)})`,
        `a job that runs ${role === 'plan' ? 'no deploy or sync' : role === 'deploy' ? 'deploy' : 'sync-watchlist'} logs in with client-id \${{ ${IDENTITY[role]} }}, not ${clientId || '(none)'}`,
      );
    }
  }
}

function checkCall(call: Call, at: string, project: Project, add: Add): void {
  const where = `${at} line ${call.line}`;
  if (call.program === 'node') {
    const file = nodeFile(call);
    if (file !== undefined && !project.exists(file)) add('node/file', where, `node runs ${file}, which is not in the repository`);
    return;
  }
  if (call.program === 'npx') {
    add('npm/command', where, 'npx may download a package at run time: add the tool as a devDependency and call it through an npm script');
    return;
  }
  const run = npmRun(call);
  if (run.verb === 'ci') return;
  if (['test', 't', 'tst'].includes(run.verb)) {
    if (!project.scripts.has('test')) add('npm/script', where, 'npm test, but package.json has no "test" script');
    return;
  }
  if (run.verb !== 'run' && run.verb !== 'run-script') {
    add('npm/command', where, `npm ${run.verb}: workflows install with \`npm ci\` and run package.json scripts only`);
    return;
  }
  if (!run.script || !project.scripts.has(run.script)) {
    add(
      'npm/script',
      where,
      `npm run ${run.script ?? ''}: no such script in package.json (scripts: ${[...project.scripts].sort().join(', ')})`,
    );
    return;
  }
  const silent = call.words.some((w) => ['--silent', '-s', '--loglevel=silent'].includes(w.text));
  if (call.captured && !silent)
    add('npm/silent', where, `npm run ${run.script} prints its banner into the captured output: use \`npm run --silent ${run.script}\``);
  if (run.script === 'cli') checkCli(run.args, where, project, add);
}

function checkCli(args: ReturnType<typeof npmRun>['args'], where: string, project: Project, add: Add): void {
  const [name, ...rest] = args;
  if (!name || name.dynamic || name.text.startsWith('-')) {
    add('cli/command', where, 'npm run cli -- <command>: spell the command literally so it can be checked');
    return;
  }
  const command = project.commands.get(name.text);
  if (!command) {
    add(
      'cli/command',
      where,
      `the CLI has no command '${name.text}' (commands: ${[...new Set([...project.commands.values()].map((c) => c.name))].sort().join(', ')})`,
    );
    return;
  }
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.text.startsWith('-') || word.dynamic) continue;
    const [flag = '', inline] = word.text.split(/=(.*)/s);
    const option = command.options.get(flag);
    if (!option) {
      add(
        'cli/option',
        where,
        `${command.name} has no option ${flag} (options: ${[...command.options.keys()]
          .filter((k) => k.startsWith('--'))
          .sort()
          .join(', ')})`,
      );
      continue;
    }
    if (!option.takesValue) continue;
    const value = inline !== undefined ? { text: inline, dynamic: /\$/.test(inline) } : rest[++i];
    if (value && !value.dynamic && option.choices && !option.choices.includes(value.text)) {
      add('cli/choice', where, `${command.name} ${flag} ${value.text}: expected one of ${option.choices.join(', ')}`);
    }
  }
}

/** Line-based: the pin and its version comment are only in the text. */
function checkPins(workflow: Workflow, add: Add): void {
  const lines = workflow.text.split('\n');
  lines.forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/.exec(line);
    if (!match) return;
    const [, target = '', comment = ''] = match;
    if (target.startsWith('./') || /^docker:\/\/[^@]+@sha256:[0-9a-f]{64}$/.test(target)) return;
    const pinned = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(target);
    const versioned = /^#\s*v?\d+(\.\d+){0,2}\b/.test(comment);
    if (!pinned || !versioned) {
      add(
        'uses/pinned',
        `line ${index + 1}`,
        `${target}: pin to a full 40-character commit SHA with the release in a trailing comment (uses: owner/action@<sha> # v1.2.3)`,
      );
    }
  });
}
