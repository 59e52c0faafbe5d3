import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Workers are child processes (forks), so they read NODE_EXTRA_CA_CERTS set by the global setup.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
