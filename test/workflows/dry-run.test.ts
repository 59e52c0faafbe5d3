// The dry-run command line (test/workflows/dry-run.ts), as a person runs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dryRun = (...args: string[]) =>
  spawnSync(process.execPath, [join('test', 'workflows', 'dry-run.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('dry-run.ts', () => {
  it('lists the jobs and steps of a workflow', () => {
    const result = dryRun('.github/workflows/deploy.yml');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^check\n {2}1\. actions\/checkout@/);
    expect(result.stdout).toContain('deploy-prod\n');
    expect(result.stdout).toContain('  5. Deploy\n');
  });

  it('prints one job with its env and scripts, as a fork pull request would get it', () => {
    const result = dryRun(
      '.github/workflows/pr.yml',
      'plan',
      '--ctx',
      'github.event.pull_request.head.repo.full_name=someone/fork',
      '--ctx',
      'matrix.environment=prod',
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("── [5] Plan: skipped (if: env.SAME_REPO == 'true' is false)");
    expect(result.stdout).toContain(
      '── [6] Plan skipped (pull request from a fork): would run\nenv:\n  AZURE_TOKEN_CREDENTIALS=AzureCliCredential\n  SAME_REPO=false\n  SENTINEL_ENV=prod\n',
    );
  });

  it('refuses an unknown job and a malformed --ctx', () => {
    const job = dryRun('.github/workflows/pr.yml', 'nope');
    expect(job.status).toBe(2);
    expect(job.stderr).toContain("has no job 'nope' (jobs: check, plan, comment)");
    const bad = dryRun('.github/workflows/pr.yml', 'plan', '--ctx', 'novalue');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--ctx expects <path>=<value>, got 'novalue'");
  });
});
