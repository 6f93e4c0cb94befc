import { defineConfig } from 'vite';

// `tapegrad` resolves through the workspace link to packages/tapegrad/dist (built by turbo's ^build).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { host: '127.0.0.1' },
  // Error classes keep their names (`ShapeError: …`) in the minified bundle.
  esbuild: { keepNames: true },
});
