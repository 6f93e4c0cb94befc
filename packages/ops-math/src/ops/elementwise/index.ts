import type { OpDef } from '@tapegrad/core';
import { AddOp, add } from './add.js';
import { CastOp, cast } from './cast.js';
import { DivOp, div } from './div.js';
import { MulOp, mul } from './mul.js';
import { NegOp, neg } from './neg.js';
import { SubOp, sub } from './sub.js';

export { add, cast, div, mul, neg, sub };

export const elementwiseOps: OpDef[] = [AddOp, SubOp, MulOp, DivOp, NegOp, CastOp];

/** Functions installed as chainable Tensor methods (the tensor is the first argument). */
export const elementwiseMethods = { add, sub, mul, div, neg, cast };
