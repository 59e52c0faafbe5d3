// plan and deploy of 100 generated rules × 10 workspaces against the emulator answering each request
// after 20 ms, through the real CLI and SDK pipeline: wall time (median of 3) and request counts for
// plan (empty), first deploy, plan (converged), second deploy (must write nothing), one changed rule.
// Node reads NODE_EXTRA_CA_CERTS at start only: the measured part runs in a child process started with
// it pointing at a freshly generated loopback CA (production code stays on Node's trust store).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTargets } from '../../scripts/commands/shared/targets.ts';
import { cli as runCli, tempRepo } from '../support/cli.ts';
import { repoRoot } from '../support/content.ts';
import { startEmulator, type Emulator } from '../support/emulator/server.ts';
import { createLoopbackCertificate } from '../support/tls.ts';
import { generateCorpus } from './corpus.ts';
import { median, ms, timeRuns } from './stats.ts';

const RULES = 100;
const WORKSPACES = 10;
const LATENCY_MS = 20;
const RUNS = 3;
const TOKEN = 'deploy-bench-token';

export default async function (): Promise<void> {
  const tls = await createLoopbackCertificate();
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    cwd: repoRoot,
    env: { ...process.env, DEPLOY_BENCH_CHILD: '1', NODE_EXTRA_CA_CERTS: tls.caFile, TEST_TLS_CERT: tls.cert, TEST_TLS_KEY: tls.key },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(child.stdout);
  rmSync(dirname(tls.caFile), { recursive: true, force: true });
  if (child.status !== 0) console.log(`child process failed (exit ${child.status})`);
}

/** A repository with the generated corpus and WORKSPACES workspaces (each with the corpus's overrides). */
function makeRepo(url: string): string {
  const corpus = generateCorpus(RULES);
  const at = corpus.workspaces.text.indexOf('      rules:\n');
  const overrides = at >= 0 ? corpus.workspaces.text.slice(at) : '';
  const entries = Array.from({ length: WORKSPACES }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return `    - name: bench-${n}\n      subscriptionId: 00000000-0000-4000-8000-0000000000${n}\n      resourceGroup: rg-bench\n      workspace: law-bench-${n}\n      armEndpoint: ${url}\n${overrides}`;
  });
  return tempRepo({
    ...Object.fromEntries([...corpus.rules, ...corpus.watchlists].map((file) => [file.path, file.text])),
    'workspaces.yaml': `# yaml-language-server: $schema=./schemas/workspaces.schema.json\nrepository: bench-org/deploy\nenvironments:\n  bench:\n${entries.join('')}`,
  });
}

async function cli(root: string, args: string[]): Promise<void> {
  const { code, stderr } = await runCli(root, args, { env: { SENTINEL_ACCESS_TOKEN: TOKEN } });
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}:\n${stderr}`);
}

function counts(emulator: Emulator, runs: number): string {
  const per = (n: number) => (n / runs).toFixed(0);
  const reads = emulator.count({ method: 'GET' });
  const writes = emulator.requests.length - reads;
  const by = (type: 'alertRules' | 'metadata' | 'watchlists') =>
    per(emulator.requests.filter((r) => r.method !== 'GET' && r.type === type).length);
  return `${per(reads)} reads, ${per(writes)} writes (alertRules ${by('alertRules')}, metadata ${by('metadata')}, watchlists ${by('watchlists')})`;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ token: TOKEN, latencyMs: LATENCY_MS });
  const root = makeRepo(emulator.url);
  const line = (label: string, durations: number[], runs: number) =>
    console.log(`${label.padEnd(34)} ${ms(median(durations)).padStart(9)}   ${counts(emulator, runs)}`);
  try {
    console.log(
      `${RULES} rules × ${WORKSPACES} workspaces, ${LATENCY_MS} ms per request, default concurrency (4 workspaces × 4 requests), median of ${RUNS}, ${availableParallelism()} cores`,
    );
    const content = await timeRuns(RUNS, () => loadTargets({ root, env: 'bench', processEnv: {} }));
    console.log(`${'content (validate + compile ×10)'.padEnd(34)} ${ms(median(content)).padStart(9)}`);
    await cli(root, ['plan', '--env', 'bench', '--format', 'json']); // warm-up (KQL engine load)

    emulator.clearRequests();
    line('plan, empty workspaces', await timeRuns(RUNS, () => cli(root, ['plan', '--env', 'bench', '--format', 'json'])), RUNS);

    const first: number[] = [];
    emulator.reset();
    for (let i = 0; i < RUNS; i++) {
      emulator.reset();
      first.push(...(await timeRuns(1, () => cli(root, ['deploy', '--env', 'bench']))));
    }
    line('deploy, first (creates)', first, 1); // counts: the last run only (reset before each)

    emulator.clearRequests();
    line('plan, converged', await timeRuns(RUNS, () => cli(root, ['plan', '--env', 'bench', '--format', 'json'])), RUNS);
    emulator.clearRequests();
    line('deploy, second (0 writes expected)', await timeRuns(RUNS, () => cli(root, ['deploy', '--env', 'bench'])), RUNS);
    const secondWrites = emulator.requests.filter((r) => r.method !== 'GET').length;

    const [firstRule] = generateCorpus(RULES).rules;
    writeFileSync(join(root, firstRule!.path), firstRule!.text.replace(/^severity: \w+$/m, 'severity: Informational'));
    emulator.clearRequests();
    line('deploy, one rule changed', await timeRuns(1, () => cli(root, ['deploy', '--env', 'bench'])), 1);

    emulator.reset();
    line(
      'deploy, first, 10 × 8 in flight',
      await timeRuns(1, () => cli(root, ['deploy', '--env', 'bench', '--workspace-concurrency', '10', '--concurrency', '8'])),
      1,
    );
    console.log(`second deploy writes: ${secondWrites} (must be 0)`);
  } finally {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.env.DEPLOY_BENCH_CHILD === '1' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
