import { defineConfig } from 'vitest/config';

/**
 * The vitest config of the packages whose tests start real runners on fixture projects:
 * runners are installed on first use (in a hook) and started per test, on a 2-core CI
 * machine, so the timeouts are long.
 */
export const realRunnerTests = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
