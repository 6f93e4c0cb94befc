import { defineConfig } from 'vitest/config';

// The consumer test: packs the published packages (their dist/ must be built first),
// installs the tarballs into scratch projects and runs the seed examples there.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: '@tapegrad/consumer-test (tarballs)',
    include: ['consumer/**/*.consumer.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
