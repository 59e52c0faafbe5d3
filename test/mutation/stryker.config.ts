// Mutation testing of the pure core's decision modules: `npm run mutate` (not part of `npm test` or
// .ci/run: a full run takes tens of minutes). One module: `npm run mutate -- --mutate scripts/core/feed/ipv4.ts`.
// Read by Stryker through Node's type stripping; paths are relative to the repository root.
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

const config: PartialStrykerOptions = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: {
    configFile: 'test/mutation/vitest.config.ts',
    // Stryker's default is `threads`: worker threads share the runner's process, which read
    // NODE_EXTRA_CA_CERTS before the global setup created the loopback certificate, so every HTTPS test
    // against the emulator would fail. Forks start after the global setup and inherit it (as in `npm test`).
    pool: 'forks',
    // Only the test files whose imports reach the mutated module.
    related: true,
  },
  // Per mutant, only the tests that executed it during the initial run.
  coverageAnalysis: 'perTest',
  // A mutant also executed outside any test (module load, describe bodies and beforeAll hooks compute
  // fixtures) would otherwise re-run every related test with a full reload: over an hour for
  // model/duration.ts alone. Such a mutant runs with the tests that executed it; one that no test
  // executes (a module-level constant) is listed as static and not run (the table counts them apart).
  ignoreStatic: true,
  mutate: ['scripts/core/{feed,sync,plan,validate,model,compile,lock}/**/*.ts'],
  // Shared 2-core machines: `--concurrency 1` while developing.
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 80, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  ignorePatterns: ['out', '.bench', '.scratch', 'reports'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
