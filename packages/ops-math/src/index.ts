import type { OpsPlugin } from '@tapegrad/core';
import { mathMethods } from './methods.js';
import { elementwiseOps } from './ops/elementwise/index.js';
import { linalgOps } from './ops/linalg/index.js';
import { nnOps } from './ops/nn/index.js';
import { optimizerOps } from './ops/optimizer/index.js';
import { reductionOps } from './ops/reduction/index.js';
import { shapeOps } from './ops/shape/index.js';

export * from './ops/elementwise/index.js';
export * from './ops/reduction/index.js';
export * from './ops/shape/index.js';
export * from './ops/linalg/index.js';
export * from './ops/nn/index.js';
export * from './ops/optimizer/index.js';
export type { DropFirst, MathMethods } from './methods.js';
export { reduceToShape } from './util.js';
export type { Arg } from './util.js';

/** Every op definition of the math family. */
export const mathOps = [
  ...elementwiseOps,
  ...reductionOps,
  ...shapeOps,
  ...linalgOps,
  ...nnOps,
  ...optimizerOps,
];

/** The math op family: `use(math)` or `createEngine({ ops: [math], ... })`. */
export const math: OpsPlugin = {
  kind: 'ops',
  name: 'math',
  ops: mathOps,
  methods: mathMethods,
};
