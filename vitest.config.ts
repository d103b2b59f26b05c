import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The CLI tests start the real binary; a loaded CI machine can take seconds per start.
    testTimeout: 60_000,
    // Colour and inverse are decided when chalk loads; a test worker is not a terminal, and the
    // UI tests check colours and the inverse selected row.
    env: { FORCE_COLOR: '1' },
  },
});
