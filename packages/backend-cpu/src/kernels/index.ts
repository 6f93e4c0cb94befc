import type { Kernel } from '@tapegrad/core';
import { binaryKernels } from './binary.js';
import { convKernels } from './conv/index.js';
import { coreKernels } from './core.js';
import { lossKernels } from './losses.js';
import { matmulKernels } from './matmul.js';
import { nnKernels } from './nn.js';
import { optimizerKernels } from './optimizer.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape.js';
import { unaryKernels } from './unary.js';

/** Every CPU kernel, by op name. */
export const cpuKernels: Record<string, Kernel> = {
  ...coreKernels,
  ...unaryKernels,
  ...binaryKernels,
  ...reduceKernels,
  ...matmulKernels,
  ...shapeKernels,
  ...nnKernels,
  ...lossKernels,
  ...optimizerKernels,
  ...convKernels,
};
