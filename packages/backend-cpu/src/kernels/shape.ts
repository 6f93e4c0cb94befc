import type { Kernel } from '@tapegrad/core';

export const shapeKernels: Record<string, Kernel> = {};
