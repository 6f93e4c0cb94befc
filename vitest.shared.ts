import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const src = (pkg: string, file = 'index.ts'): string =>
  join(repoRoot, 'packages', pkg, 'src', file);

/**
 * Tests run against the sources of every workspace package, never against dist/.
 * Order matters: the first matching alias wins, so the more specific ones come first.
 */
export const sourceAliases = [
  { find: /^@tapegrad\/ops-math\/testing$/, replacement: src('ops-math', 'testing/index.ts') },
  { find: /^@tapegrad\/ops-conv\/testing$/, replacement: src('ops-conv', 'testing/index.ts') },
  { find: /^@tapegrad\/core$/, replacement: src('core') },
  { find: /^@tapegrad\/ops-math$/, replacement: src('ops-math') },
  { find: /^@tapegrad\/backend-cpu$/, replacement: src('backend-cpu') },
  { find: /^@tapegrad\/optim$/, replacement: src('optim') },
  { find: /^@tapegrad\/ops-conv$/, replacement: src('ops-conv') },
  { find: /^@tapegrad\/io$/, replacement: src('io') },
  { find: /^@tapegrad\/backend-wasm$/, replacement: src('backend-wasm') },
  { find: /^@tapegrad\/backend-webgpu$/, replacement: src('backend-webgpu') },
  { find: /^tapegrad$/, replacement: src('tapegrad') },
];

/**
 * The vitest config of one workspace package or app:
 * `export default defineTapegradProject(import.meta.dirname)` in its vitest.config.ts.
 */
export function defineTapegradProject(dirname: string): ViteUserConfig {
  const { name } = JSON.parse(readFileSync(join(dirname, 'package.json'), 'utf8')) as {
    name: string;
  };
  // defineConfig, not defineProject: the same file is the whole config of `vitest run` inside
  // the package (where passWithNoTests applies) and one project of the root vitest.config.ts.
  return defineConfig({
    root: dirname,
    resolve: { alias: sourceAliases },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      passWithNoTests: true,
    },
  });
}
