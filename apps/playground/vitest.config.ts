import { defineConfig } from 'vitest/config';

// The end-to-end tests drive a real browser against the built app (dist/), in a node process.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: '@tapegrad/playground',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
