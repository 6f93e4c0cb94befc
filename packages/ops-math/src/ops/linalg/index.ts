import type { OpDef } from '@tapegrad/core';
import { BatchMatMulOp, matMul, matMulDims } from './batch-mat-mul.js';
import { dot } from './dot.js';
import { outerProduct } from './outer-product.js';

export { dot, matMul, matMulDims, outerProduct };
export type { MatMulAttrs } from './batch-mat-mul.js';

/** BatchMatMul is the primitive; dot and outerProduct are compositions of it. */
export const linalgOps: OpDef[] = [BatchMatMulOp];

export const linalgMethods = { matMul, dot, outerProduct };
