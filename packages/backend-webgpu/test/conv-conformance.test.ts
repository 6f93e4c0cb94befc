import { convConformance } from '@tapegrad/ops-conv/testing';
import { webgpuEngine, withWebGPU } from './webgpu-env.js';

// Conv ops have no WGSL kernels yet: they fall back to the CPU backend (data moves through
// synchronous reads in Node). The suite holds that path to the same numbers.
await withWebGPU('ops-conv conformance on webgpu', () =>
  convConformance({ backend: 'webgpu', createEngine: webgpuEngine }),
);
