// Local dry run of a workflow's shell steps (GitHub's runner and Docker-based `act` are not needed):
//
//   node test/workflows/dry-run.ts .github/workflows/pr.yml                 # jobs and their steps
//   node test/workflows/dry-run.ts .github/workflows/pr.yml check           # one job: env, if:, scripts
//   node test/workflows/dry-run.ts .github/workflows/pr.yml check --exec    # run its run: steps here
//   node test/workflows/dry-run.ts .github/workflows/pr.yml plan --ctx matrix.environment=prod \
//       --ctx github.event.pull_request.head.repo.full_name=someone/fork       # what a fork PR gets
//
// --exec runs the run: steps with bash in --cwd (default: the current folder); actions are not run
// (see runner.ts); steps calling gh are printed unless --with-gh. --step <text> runs only the steps whose
// name contains the text. Cloud steps use your local credentials: point workspaces.yaml (in a scratch
// copy given as --cwd) at `npm run emulator` and export what it prints, or use `az login`.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultContexts, runJob, setContext, type StepReport } from './runner.ts';
import { readWorkflow, stepLabel } from './workflow.ts';

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: node test/workflows/dry-run.ts <workflow.yml> [job] [--exec] [--cwd <dir>] [--ctx <path>=<value>]... [--step <text>]... [--with-gh]\n`,
  );
  process.exit(2);
}

function headSha(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '0000000000000000000000000000000000000000';
  }
}

function show(step: StepReport, verbose: boolean): void {
  const marks: Record<StepReport['action'], string> = {
    ran: step.exitCode === 0 ? 'ran ✓' : `ran ✗ exit ${step.exitCode}`,
    'would-run': 'would run',
    'skipped-if': 'skipped',
    'skipped-action': 'action not run',
    'skipped-gh': 'printed only',
    'not-selected': 'not selected',
  };
  process.stdout.write(`\n── [${step.index + 1}] ${step.label}: ${marks[step.action]}${step.note ? ` (${step.note})` : ''}\n`);
  if (!verbose || step.script === undefined) return;
  const keys = Object.keys(step.env).sort();
  if (keys.length) process.stdout.write(`env:\n${keys.map((k) => `  ${k}=${step.env[k]}`).join('\n')}\n`);
  process.stdout.write(`${step.script.replace(/^/gm, '  $ ').trimEnd()}\n`);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        exec: { type: 'boolean', default: false },
        'with-gh': { type: 'boolean', default: false },
        cwd: { type: 'string' },
        ctx: { type: 'string', multiple: true, default: [] },
        step: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
})();

const [file, jobId] = positionals;
if (!file) usage('name a workflow file');
const cwd = resolve(values.cwd ?? '.');
const workflow = (() => {
  try {
    return readWorkflow(resolve(file));
  } catch (error) {
    return usage((error as Error).message);
  }
})();

if (!jobId) {
  for (const job of workflow.jobs) {
    process.stdout.write(`${job.id}\n${job.steps.map((s) => `  ${s.index + 1}. ${stepLabel(s)}`).join('\n')}\n`);
  }
  process.exit(0);
}

const contexts = defaultContexts(workflow, jobId, headSha(cwd));
for (const assignment of values.ctx) {
  const at = assignment.indexOf('=');
  if (at <= 0) usage(`--ctx expects <path>=<value>, got '${assignment}'`);
  setContext(contexts, assignment.slice(0, at), assignment.slice(at + 1));
}

const report = (() => {
  try {
    return runJob({
      workflow,
      job: jobId,
      contexts,
      cwd,
      exec: values.exec,
      allowGh: values['with-gh'],
      ...(values.step ? { select: values.step } : {}),
      stdio: 'inherit',
      onStart: (step) => process.stdout.write(`\n── [${step.index + 1}] ${step.label}: running\n`),
    });
  } catch (error) {
    return usage((error as Error).message);
  }
})();
if (values.exec) {
  process.stdout.write('\n── steps ──');
  for (const step of report.steps) show(step, false);
  process.stdout.write(`\njob ${jobId}: ${report.status}\n`);
  if (report.summary) process.stdout.write(`\n── job summary ──\n${report.summary}`);
} else {
  for (const step of report.steps) show(step, true);
}
process.exitCode = report.status === 'success' ? 0 : 1;
