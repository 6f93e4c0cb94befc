import type { DType } from '@tapegrad/core';

/** Element kinds of the module's any-dtype kernels (assembly/compare.ts), by dtype. */
export const KIND: Record<DType, number> = { float32: 0, int32: 1, bool: 2, float64: 3 };
