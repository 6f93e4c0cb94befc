import type { Kernel } from '@tapegrad/core';
import type { WebGPUBackend } from '../backend.js';
import { convKernels } from './conv.js';
import { depthwiseKernels } from './depthwise.js';
import { elementwiseKernels } from './elementwise.js';
import { layoutKernels } from './layout.js';
import { BatchMatMul } from './matmul.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { softmaxCrossEntropyKernels } from './softmax-cross-entropy.js';

/** Every WGSL kernel of the backend, keyed by op name. */
export const webgpuKernels: Record<string, Kernel<never, WebGPUBackend>> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...softmaxCrossEntropyKernels,
  ...layoutKernels,
  BatchMatMul,
  ...convKernels,
  ...depthwiseKernels,
  ...poolKernels,
};
