import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['history/**/*.test.ts', 'models/**/*.test.ts', 'properties/**/*.test.ts', 'src/**/*.test.ts', 'examples/**/*.test.ts'],
    reporters: ['default', './.ci/summary-reporter.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
