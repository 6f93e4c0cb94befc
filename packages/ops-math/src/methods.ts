import type { Tensor } from '@tapegrad/core';
import { elementwiseMethods } from './ops/elementwise/index.js';
import { linalgMethods } from './ops/linalg/index.js';
import { nnMethods } from './ops/nn/index.js';
import { reductionMethods } from './ops/reduction/index.js';
import { shapeMethods } from './ops/shape/index.js';

/** @internal Every op exposed as a chainable method: `x.matMul(w).add(b).relu()`. */
export const mathMethodFunctions = {
  ...elementwiseMethods,
  ...reductionMethods,
  ...shapeMethods,
  ...linalgMethods,
  ...nnMethods,
};

/** A function type without its first parameter (the tensor a method is called on). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DropFirst<F> = F extends (first: any, ...rest: infer R) => infer O
  ? (...args: R) => O
  : never;

/** The method signatures added to Tensor by registering the math family. */
export type MathMethods = {
  [K in keyof typeof mathMethodFunctions]: DropFirst<(typeof mathMethodFunctions)[K]>;
};

declare module '@tapegrad/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends MathMethods {}
}

/** Prototype methods: `this` becomes the first argument. */
export const mathMethods: Record<string, (this: Tensor, ...args: unknown[]) => unknown> =
  Object.fromEntries(
    Object.entries(mathMethodFunctions).map(([name, fn]) => [
      name,
      function (this: Tensor, ...args: unknown[]) {
        return (fn as (...a: unknown[]) => unknown)(this, ...args);
      },
    ]),
  );
