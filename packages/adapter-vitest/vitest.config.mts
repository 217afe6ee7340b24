import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**'],
    // Real runners, installed on first use and started per test, on a 2-core CI machine.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
