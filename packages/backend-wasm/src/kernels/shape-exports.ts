/**
 * The module's layout, gather/scatter, pooling and depthwise exports (assembly/layout.ts,
 * gather.ts, pool.ts, depthwise.ts), typed for the kernels of this folder. Pointers are
 * byte offsets, sizes element counts, `eb` the bytes of one element.
 */
import type { WasmBackend } from '../backend.js';

export interface ShapeKernelExports {
  copyStrided(src: number, dst: number, desc: number, rank: number, eb: number): void;
  transposeTiled(src: number, dst: number, desc: number, outer: number, eb: number): void;
  fillElements(dst: number, n: number, eb: number, lo: number, hi: number): void;
  firstOutOfRange(idx: number, n: number, limit: number): number;
  ndRows(idx: number, p: number, k: number, dims: number, rows: number): number;
  gatherRows(
    x: number,
    idx: number,
    out: number,
    b: number,
    m: number,
    n: number,
    j: number,
    rowElements: number,
    eb: number,
  ): void;
  scatterRows(dst: number, rows: number, p: number, src: number, n: number, eb: number): void;
  scatterAddRows(
    dst: number,
    rows: number,
    p: number,
    src: number,
    n: number,
    type: number,
    eb: number,
  ): void;
  oneHot(
    idx: number,
    n: number,
    depth: number,
    out: number,
    eb: number,
    lo: number,
    hi: number,
  ): void;
  maxPool(x: number, geo: number, mode: number, a: number, b: number, taps: number): void;
  avgPool(x: number, geo: number, y: number, taps: number): void;
  avgPoolGrad(dy: number, geo: number, dx: number, taps: number): void;
  depthwiseForward(x: number, f: number, y: number, geo: number, m: number, taps: number): void;
  depthwiseBackpropInput(
    dy: number,
    f: number,
    dx: number,
    geo: number,
    m: number,
    taps: number,
  ): void;
  depthwiseBackpropFilter(
    x: number,
    dy: number,
    acc: number,
    dw: number,
    geo: number,
    m: number,
    taps: number,
    c0: number,
    c1: number,
  ): void;
}

/** The shape-kernel exports of a backend's module. */
export function shapeExports(backend: WasmBackend): ShapeKernelExports {
  return backend.kernels as unknown as ShapeKernelExports;
}
