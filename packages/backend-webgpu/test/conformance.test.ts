import { mathConformance } from '@tapegrad/ops-math/testing';
import { webgpuEngine, withWebGPU } from './webgpu-env.js';

await withWebGPU('ops-math conformance on webgpu', () =>
  mathConformance({ backend: 'webgpu', createEngine: webgpuEngine }),
);
