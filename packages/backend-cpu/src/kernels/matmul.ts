import type { Kernel } from '@tapegrad/core';

export const matmulKernels: Record<string, Kernel> = {};
