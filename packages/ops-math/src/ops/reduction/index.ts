import type { OpDef } from '@tapegrad/core';
import { AllOp, all } from './all.js';
import { AnyOp, any } from './any.js';
import { ArgMaxOp, argMax } from './arg-max.js';
import { ArgMinOp, argMin } from './arg-min.js';
import { CumprodOp, cumprod } from './cumprod.js';
import { CumsumOp, cumsum } from './cumsum.js';
import { logSumExp } from './log-sum-exp.js';
import { MaxOp, max } from './max.js';
import { mean } from './mean.js';
import { MinOp, min } from './min.js';
import { ProdOp, prod } from './prod.js';
import { SumOp, sum } from './sum.js';

export { all, any, argMax, argMin, cumprod, cumsum, logSumExp, max, mean, min, prod, sum };

/** Primitives (each has a kernel); mean and logSumExp are compositions of them. */
export const reductionOps: OpDef[] = [
  SumOp,
  MaxOp,
  MinOp,
  ProdOp,
  ArgMaxOp,
  ArgMinOp,
  AnyOp,
  AllOp,
  CumsumOp,
  CumprodOp,
];

export const reductionMethods = {
  sum,
  mean,
  max,
  min,
  prod,
  logSumExp,
  argMax,
  argMin,
  any,
  all,
  cumsum,
  cumprod,
};
