// Runs (or prints) one job of a workflow on this machine the way the runner would run its `run:` steps:
// the env of workflow, job and step with `${{ }}` evaluated, `if:` conditions with the job's status,
// bash -eo pipefail, GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files. Actions (`uses:`) are not
// run: the working tree stands for the checkout, the local node for setup-node, local credentials
// (az login, or SENTINEL_ACCESS_TOKEN for `npm run emulator`) for azure/login, the working folder for
// artifacts. Steps that call the GitHub API (gh) are printed, not run, unless allowed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { condition, evaluate, interpolate, unwrapExpression, type Contexts, type JobStatus, type Value } from './expressions.ts';
import { callsGh } from './shell.ts';
import { isMapping, stepLabel, type Step, type Workflow } from './workflow.ts';

export type StepAction = 'ran' | 'would-run' | 'skipped-if' | 'skipped-action' | 'skipped-gh' | 'not-selected';

export interface StepReport {
  index: number;
  label: string;
  action: StepAction;
  /** The env the workflow gives this step (not the inherited process env). */
  env: Record<string, string>;
  script?: string;
  note?: string;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

export interface JobReport {
  status: JobStatus;
  steps: StepReport[];
  /** Everything the steps appended to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** steps.<id>.outputs */
  outputs: Record<string, Record<string, string>>;
}

export interface RunOptions {
  workflow: Workflow;
  job: string;
  contexts: Contexts;
  cwd: string;
  /** false: evaluate and print only. */
  exec: boolean;
  /** Run steps that call gh (they would write to GitHub with your local gh login). */
  allowGh?: boolean;
  /** Only these steps run (by label substring); the others are reported as not selected. */
  select?: readonly string[];
  /** 'inherit' streams step output (the CLI); 'pipe' collects it (tests). */
  stdio?: 'inherit' | 'pipe';
  /** Base process env (default process.env): PATH and friends. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Called just before a step's script starts (the CLI prints a header there). */
  onStart?: (step: StepReport) => void;
}

const ACTION_NOTES: [RegExp, string][] = [
  [/^actions\/checkout@/i, 'the working folder stands for the checkout'],
  [/^actions\/setup-node@/i, 'the local node and npm are used'],
  [/^azure\/login@/i, 'local credentials instead: `az login`, or SENTINEL_ACCESS_TOKEN with `npm run emulator`'],
  [/^actions\/(upload|download)-artifact@/i, 'artifacts stay in the working folder'],
];

/** `KEY=value` lines and `KEY<<DELIM … DELIM` blocks, as in GITHUB_OUTPUT and GITHUB_ENV. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated ${block[1]}<<${block[2]} block`);
      out[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      out[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return out;
}

function evaluateEnv(source: Record<string, unknown>, contexts: Contexts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) out[key] = interpolate(value === null ? '' : String(value), contexts);
  return out;
}

export function runJob(options: RunOptions): JobReport {
  const job = options.workflow.jobs.find((j) => j.id === options.job);
  if (!job)
    throw new Error(`${options.workflow.file} has no job '${options.job}' (jobs: ${options.workflow.jobs.map((j) => j.id).join(', ')})`);
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-dry-run-'));
  const summaryFile = join(scratch, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const report: JobReport = { status: 'success', steps: [], summary: '', outputs: {} };
  const stepsContext: Record<string, Value> = {};
  let env = evaluateEnv(options.workflow.env, { ...options.contexts, env: {} });
  env = { ...env, ...evaluateEnv(job.env, { ...options.contexts, env }) };
  const addedEnv: Record<string, string> = {};
  try {
    for (const step of job.steps) {
      const contexts: Contexts = { ...options.contexts, env: { ...env, ...addedEnv }, steps: stepsContext };
      const stepEnv = { ...env, ...addedEnv, ...evaluateEnv(step.env, contexts) };
      const entry: StepReport = { index: step.index, label: stepLabel(step), action: 'would-run', env: stepEnv };
      report.steps.push(entry);
      const outcome = runStep(step, entry, { ...contexts, env: stepEnv }, report.status, options, scratch, summaryFile);
      if (step.id) stepsContext[step.id] = { outcome, conclusion: outcome, outputs: report.outputs[step.id] ?? {} };
      if (outcome === 'failure') report.status = 'failure';
      if (entry.action === 'ran') Object.assign(addedEnv, parseCommandFile(readFileSync(join(scratch, 'env'), 'utf8')));
      if (entry.action === 'ran' && step.id) {
        report.outputs[step.id] = parseCommandFile(readFileSync(join(scratch, 'output'), 'utf8'));
        stepsContext[step.id] = { outcome, conclusion: outcome, outputs: report.outputs[step.id]! };
      }
    }
    report.summary = readFileSync(summaryFile, 'utf8');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return report;
}

function runStep(
  step: Step,
  entry: StepReport,
  contexts: Contexts,
  status: JobStatus,
  options: RunOptions,
  scratch: string,
  summaryFile: string,
): 'success' | 'failure' | 'skipped' {
  if (!condition(step.if, contexts, { status })) {
    entry.action = 'skipped-if';
    entry.note = `if: ${String(step.if ?? 'success()')} is false`;
    return 'skipped';
  }
  if (step.uses !== undefined) {
    entry.action = 'skipped-action';
    entry.note = ACTION_NOTES.find(([pattern]) => pattern.test(step.uses!))?.[1] ?? `action ${step.uses} is not run locally`;
    return 'success';
  }
  const script = step.run ?? '';
  entry.script = script;
  if (options.select && !options.select.some((s) => entry.label.includes(s))) {
    entry.action = 'not-selected';
    return 'success';
  }
  if (callsGh(script) && !options.allowGh) {
    entry.action = 'skipped-gh';
    entry.note = 'calls the GitHub API (gh) and would write with your gh login: printed, not run (allow with --with-gh)';
    return 'skipped';
  }
  if (!options.exec) return 'success';
  options.onStart?.(entry);
  const scriptFile = join(scratch, 'step.sh');
  writeFileSync(scriptFile, script);
  for (const name of ['output', 'env']) writeFileSync(join(scratch, name), '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd: options.cwd,
    env: {
      ...(options.baseEnv ?? process.env),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: join(scratch, 'output'),
      GITHUB_ENV: join(scratch, 'env'),
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: options.cwd,
      ...(contexts.env as Record<string, string>),
    },
    stdio: options.stdio === 'inherit' ? 'inherit' : 'pipe',
    encoding: 'utf8',
  });
  entry.action = 'ran';
  entry.exitCode = result.status ?? 1;
  if (options.stdio !== 'inherit') {
    entry.stdout = result.stdout;
    entry.stderr = result.stderr;
  }
  return entry.exitCode === 0 ? 'success' : 'failure';
}

/** Default contexts for a local run: inputs' defaults, the first value of each matrix list (evaluated
 * when it is an expression), a same-repository pull request for pull_request workflows. Override any
 * path with setContext (the CLI's --ctx). */
export function defaultContexts(workflow: Workflow, job: string, sha: string): Contexts {
  const repository = 'local/sentinel-detections';
  const eventName = workflow.events[0] ?? 'workflow_dispatch';
  const on = isMapping(workflow.raw.on) ? workflow.raw.on : {};
  const dispatch = isMapping(on.workflow_dispatch) ? on.workflow_dispatch : {};
  const inputs: Record<string, Value> = {};
  // Inputs exist only for workflow_dispatch runs (a push or a schedule has none).
  const declared = eventName === 'workflow_dispatch' && isMapping(dispatch.inputs) ? dispatch.inputs : {};
  for (const [name, spec] of Object.entries(declared)) {
    inputs[name] = isMapping(spec) && spec.default !== undefined ? (spec.default as Value) : null;
  }
  const matrix: Record<string, Value> = {};
  const strategy = workflow.jobs.find((j) => j.id === job)?.raw.strategy;
  const matrixSpec = isMapping(strategy) && isMapping(strategy.matrix) ? strategy.matrix : {};
  const pullRequest = { number: 1, head: { sha, ref: 'feature', repo: { full_name: repository, fork: false } }, base: { ref: 'main' } };
  const contexts: Contexts = {
    github: {
      event_name: eventName,
      repository,
      repository_owner: 'local',
      ref: 'refs/heads/main',
      sha,
      base_ref: eventName === 'pull_request' ? 'main' : '',
      head_ref: eventName === 'pull_request' ? 'feature' : '',
      server_url: 'https://github.com',
      run_id: '0',
      token: '',
      event: eventName === 'pull_request' ? { pull_request: pullRequest } : {},
    },
    inputs,
    matrix,
    vars: {},
    secrets: {},
    needs: {},
    runner: { os: 'Linux', temp: tmpdir() },
  };
  for (const [key, values] of Object.entries(matrixSpec)) {
    let list: unknown = values;
    const expression = typeof values === 'string' ? unwrapExpression(values) : undefined;
    if (expression !== undefined) {
      try {
        list = evaluate(expression, contexts);
      } catch {
        list = undefined; // depends on needs.* or the like: give it with --ctx matrix.<key>=…
      }
    }
    if (Array.isArray(list) && list.length) matrix[key] = list[0] as Value;
  }
  return contexts;
}
/** Sets `a.b.c` in the contexts to a value (JSON when it parses, else the string). */
export function setContext(contexts: Contexts, path: string, raw: string): void {
  const keys = path.split('.');
  let value: Value;
  try {
    value = JSON.parse(raw) as Value;
  } catch {
    value = raw;
  }
  let target: Record<string, Value> = contexts;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    target = isMapping(next) ? (next as Record<string, Value>) : (target[key] = {});
  }
  target[keys.at(-1)!] = value;
}
