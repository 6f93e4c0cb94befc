import type { Tensor } from '@tapegrad/core';
import { convMethodFunctions } from './ops/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** @internal A function type without its first parameter (the tensor a method is called on). */
type DropFirst<F> = F extends (first: any, ...rest: infer R) => infer O ? (...args: R) => O : never;

/** The method signatures added to Tensor by registering the conv family. */
export type ConvMethods = {
  [K in keyof typeof convMethodFunctions]: DropFirst<(typeof convMethodFunctions)[K]>;
};

declare module '@tapegrad/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends ConvMethods {}
}

/** Prototype methods: `this` becomes the first argument. */
export const convMethods: Record<string, (this: Tensor, ...args: unknown[]) => unknown> =
  Object.fromEntries(
    Object.entries(convMethodFunctions).map(([name, fn]) => [
      name,
      function (this: Tensor, ...args: unknown[]) {
        return (fn as (...a: unknown[]) => unknown)(this, ...args);
      },
    ]),
  );
