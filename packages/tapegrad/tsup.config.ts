import { defineConfig } from 'tsup';

export default defineConfig({
  // webgpu-backend: the webgpu backend, loaded by src/webgpu.ts on first use only.
  entry: { index: 'src/index.ts', 'webgpu-backend': 'src/webgpu-backend.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
