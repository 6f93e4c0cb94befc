import type { Kernel } from '@tapegrad/core';
import { binaryKernels } from './binary.js';
import { coreKernels } from './core.js';
import { reduceKernels } from './reduce.js';
import { unaryKernels } from './unary.js';

/** Every CPU kernel, by op name. */
export const cpuKernels: Record<string, Kernel> = {
  ...coreKernels,
  ...unaryKernels,
  ...binaryKernels,
  ...reduceKernels,
};
