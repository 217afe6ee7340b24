import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The multi-process tests move tens of MiB through real processes on a 2-core CI machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
