import { defineConfig } from 'vitest/config';

// `pnpm vitest` at the root runs every package's tests in one process (watch mode, IDEs).
// CI goes through turbo instead: `turbo run test` runs `vitest run` inside each package.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    passWithNoTests: true,
  },
});
