import { convConformance } from '@tapegrad/ops-conv/testing';
import { wgslConvEngine } from './conv-strict-env.js';
import { withWebGPU } from './webgpu-env.js';

// The conv family runs its WGSL kernels: the engine's host kernels for those ops throw unless
// float64 is involved (the float64 finite-difference gradchecks stay on the host), and a
// fallback to the cpu backend is an error.
await withWebGPU('ops-conv conformance on webgpu', () =>
  convConformance({ backend: 'webgpu', createEngine: wgslConvEngine }),
);
