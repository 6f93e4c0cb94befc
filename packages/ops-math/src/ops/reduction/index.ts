import type { OpDef } from '@tapegrad/core';
import { SumOp, sum } from './sum.js';

export { sum };

export const reductionOps: OpDef[] = [SumOp];

export const reductionMethods = { sum };
