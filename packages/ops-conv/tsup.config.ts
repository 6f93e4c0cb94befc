import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Shared code between the entries goes to common chunks (in CJS too), never duplicated.
  splitting: true,
  // The conformance suite uses describe/it/expect from the consumer's vitest.
  external: ['vitest'],
});
