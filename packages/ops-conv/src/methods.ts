import type { Tensor } from '@tapegrad/core';
import type { DropFirst } from '@tapegrad/ops-math';
import { convMethodFunctions } from './ops/index.js';

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
