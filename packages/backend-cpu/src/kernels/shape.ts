import type { Kernel } from '@tapegrad/core';
import { concatKernels } from './shape/concat.js';
import { indexingKernels } from './shape/indexing.js';
import { layoutKernels } from './shape/layout.js';
import { scatterKernels } from './shape/scatter-nd.js';

/** Kernels of the shape and indexing ops (Reshape aliases its input and needs none). */
export const shapeKernels: Record<string, Kernel> = {
  ...layoutKernels,
  ...concatKernels,
  ...indexingKernels,
  ...scatterKernels,
};
