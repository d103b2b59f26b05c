import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The CLI tests start the real binary; a loaded CI machine can take seconds per start.
    testTimeout: 60_000,
  },
});
