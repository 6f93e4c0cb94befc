import type { Kernel } from '@tapegrad/core';
import { convKernelMap } from './conv.js';
import { depthwiseKernelMap } from './depthwise.js';
import { poolKernelMap } from './pool.js';

/** CPU kernels of the @tapegrad/ops-conv primitives, by op name. */
export const convKernels: Record<string, Kernel> = {
  ...convKernelMap,
  ...depthwiseKernelMap,
  ...poolKernelMap,
};
