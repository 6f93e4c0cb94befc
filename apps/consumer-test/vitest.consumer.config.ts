import { defineConfig } from 'vitest/config';

// The consumer test: packs the published packages once (consumer/global-setup.ts; their
// dist/ must be built first), installs the tarballs into scratch projects and runs the
// seed examples there: in Node (ESM, CJS) and in chromium from a `vite build`.
export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: '@tapegrad/consumer-test (tarballs)',
    include: ['consumer/**/*.consumer.ts'],
    environment: 'node',
    globalSetup: ['consumer/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
