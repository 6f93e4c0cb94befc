/**
 * The webgpu backend, built as its own file of this package (dist/webgpu-backend.js) and
 * imported by src/webgpu.ts only when the backend is tried, so the main entry stays small.
 */
export { createWebGPUBackend, webgpu } from '@tapegrad/backend-webgpu';
