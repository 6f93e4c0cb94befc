/**
 * The module's math exports (assembly/transcendental.ts, compare.ts, scan.ts and the int32
 * loops of elementwise.ts / reduce.ts), typed for the kernels of this folder. Pointers are
 * byte offsets, sizes element counts.
 */
import type { DType } from '@tapegrad/core';
import type { WasmBackend } from '../backend.js';

/** Element kinds of the module's any-dtype kernels (assembly/compare.ts), by dtype. */
export const KIND: Record<DType, number> = { float32: 0, int32: 1, bool: 2, float64: 3 };

export interface MathKernelExports {
  unaryMath(op: number, x: number, out: number, n: number, alpha: number): void;
  compare(
    op: number,
    kind: number,
    a: number,
    aStep: number,
    b: number,
    bStep: number,
    out: number,
    n: number,
  ): void;
  predicate(op: number, kind: number, x: number, out: number, n: number): void;
  broadcastRow(src: number, step: number, dst: number, n: number, eb: number): void;
  selectRow(
    cond: number,
    cStep: number,
    b: number,
    bStep: number,
    dst: number,
    n: number,
    eb: number,
  ): void;
  cast(from: number, to: number, x: number, out: number, n: number): void;
  binaryMath(
    op: number,
    kind: number,
    a: number,
    aStep: number,
    b: number,
    bStep: number,
    out: number,
    n: number,
  ): void;
  unaryInt(op: number, x: number, out: number, n: number): void;
  reduceAxis(
    op: number,
    kind: number,
    outKind: number,
    x: number,
    out: number,
    outer: number,
    r: number,
    inner: number,
    acc: number,
  ): void;
  argReduce(
    isMax: boolean,
    kind: number,
    x: number,
    out: number,
    outer: number,
    r: number,
    inner: number,
    best: number,
  ): void;
  scan(
    isProd: boolean,
    kind: number,
    x: number,
    out: number,
    outer: number,
    n: number,
    inner: number,
    exclusive: boolean,
    reverse: boolean,
    acc: number,
  ): void;
  binaryInt(
    op: number,
    a: number,
    aStep: number,
    b: number,
    bStep: number,
    out: number,
    n: number,
  ): void;
}

/** The math-kernel exports of a backend's module. */
export function mathExports(backend: WasmBackend): MathKernelExports {
  return backend.kernels as unknown as MathKernelExports;
}
