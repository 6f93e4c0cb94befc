/**
 * Pow, Atan2, Mod, FloorDiv and Prelu for float32 and int32 (assembly/binary-math.ts), with
 * broadcasting through forEachOperandRow; values are computed in double and stored like
 * the CPU kernels store them. Other dtypes run the CPU kernels on the wasm memory.
 */
import type { WasmKernel } from '../backend.js';
import { byDtype, rowKernel, rowsLongEnough } from './elementwise.js';
import { KIND } from './kinds.js';

/** Op codes of assembly/binary-math.ts. */
const BINARY_MATH = { Pow: 0, Atan2: 1, Mod: 2, FloorDiv: 3, Prelu: 4 } as const;

function binaryMathKernel(name: keyof typeof BINARY_MATH): WasmKernel {
  const op = BINARY_MATH[name];
  const kernel = (kind: number) =>
    rowKernel((backend, ...row) => backend.kernels.binaryMath(op, kind, ...row));
  // Atan2 is defined for floats only.
  const kernels =
    name === 'Atan2'
      ? { float32: kernel(KIND.float32) }
      : { float32: kernel(KIND.float32), int32: kernel(KIND.int32) };
  return byDtype(name, kernels, rowsLongEnough);
}

export const binaryMathKernels: Record<string, WasmKernel> = Object.fromEntries(
  (Object.keys(BINARY_MATH) as (keyof typeof BINARY_MATH)[]).map((name) => [
    name,
    binaryMathKernel(name),
  ]),
);
