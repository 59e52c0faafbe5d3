import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each test file's temporary folders are removed when it ends (test/support/temp.ts).
    setupFiles: ['test/support/cleanup.ts'],
    // Workers are child processes (forks), so they read NODE_EXTRA_CA_CERTS set by the global setup.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
