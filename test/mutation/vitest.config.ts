// The test set for mutation runs: the core's own tests (test/core mirrors scripts/core), with the
// project's global setup (the loopback TLS certificate some of them use, e.g. the SDK round trip).
// End-to-end and command tests stay out: at seconds per run they would make a full run take hours on
// 2 cores, and a core decision that only an end-to-end test notices is a missing unit test.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/core/**/*.test.ts'],
    // One worker process reused across test files and mutants: the dry run is 2-3 times faster, and
    // the core's tests keep no state between files (same kills and survivors measured both ways).
    isolate: false,
  },
});
