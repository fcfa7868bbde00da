import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Waiting for something to happen (a reply, a metric) is not a timing claim: on a busy 2-core CI a first
    // Redis turn can take more than the default second, so a poll waits up to ten before it fails.
    expect: { poll: { timeout: 10_000 } },
  },
});
