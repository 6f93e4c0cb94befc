/**
 * Conv2D / Conv3D and their backprops via im2col + the blocked GEMM (all channels-last):
 *   forward:         y[M × Cout]  = col(x)[M × K] · W[K × Cout]
 *   backprop input:  dx           = col2im(dy[M × Cout] · Wᵀ)
 *   backprop filter: dW[K × Cout] = col(x)ᵀ · dy
 * with M = output positions and K = taps·inChannels; the column matrix is built in chunks
 * of output rows. A 1×1 unit-stride convolution skips im2col (the matrix is x itself).
 */
import type { TypedArray } from '@tapegrad/core';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
  Window3D,
} from '@tapegrad/ops-conv';
import { isPointwiseWindow, windowGeometry3D } from '@tapegrad/ops-conv';
import type { CpuKernel } from '../../backend.js';
import { gemm } from '../gemm.js';
import { outPositions } from './geometry.js';
import { col2im, im2col } from './im2col.js';
import { rowsPerChunk, scratch } from './scratch.js';

function taps(g: Window3D): number {
  return g.fd * g.fh * g.fw * g.c;
}

/** y = conv(x, filter). */
function forward(op: string): CpuKernel<ConvAttrs> {
  return ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const g = windowGeometry3D(op, x!.shape, f!.shape.slice(0, r), attrs);
    const cout = f!.shape[r + 1]!;
    const xv = backend.data(x!);
    const fv = backend.data(f!);
    const out = backend.alloc(spec!);
    convForward(g, cout, xv, fv, out);
    return backend.output(out, spec!);
  };
}

/** out[M × Cout] = col(x) · W. */
export function convForward(
  g: Window3D,
  cout: number,
  xv: TypedArray,
  fv: TypedArray,
  out: TypedArray,
): void {
  const m = outPositions(g);
  const k = taps(g);
  if (m === 0 || cout === 0) return;
  if (isPointwiseWindow(g)) {
    gemm(m, cout, k, xv, 0, false, fv, 0, false, out, 0);
    return;
  }
  const chunk = Math.min(rowsPerChunk(k), m);
  const col = scratch(0, out, chunk * k);
  for (let row0 = 0; row0 < m; row0 += chunk) {
    const rows = Math.min(chunk, m - row0);
    im2col(xv, g, row0, rows, col);
    gemm(rows, cout, k, col, 0, false, fv, 0, false, out, row0 * cout);
  }
}

/** dx = col2im(dy · Wᵀ) for an x of attrs.inputShape. */
function backpropInput(op: string): CpuKernel<ConvBackpropInputAttrs> {
  return ({ inputs: [dy, f], attrs, outputs: [spec], backend }) => {
    const r = attrs.inputShape.length - 2;
    const g = windowGeometry3D(op, attrs.inputShape, f!.shape.slice(0, r), attrs);
    const cout = f!.shape[r + 1]!;
    const dyv = backend.data(dy!);
    const fv = backend.data(f!);
    const dx = backend.alloc(spec!);
    const m = outPositions(g);
    const k = taps(g);
    if (m === 0 || k === 0) return backend.output(dx, spec!);
    if (isPointwiseWindow(g)) {
      gemm(m, k, cout, dyv, 0, false, fv, 0, true, dx, 0);
      return backend.output(dx, spec!);
    }
    const chunk = Math.min(rowsPerChunk(k), m);
    const dcol = scratch(0, dx, chunk * k);
    for (let row0 = 0; row0 < m; row0 += chunk) {
      const rows = Math.min(chunk, m - row0);
      gemm(rows, k, cout, dyv, row0 * cout, false, fv, 0, true, dcol, 0);
      col2im(dcol, g, row0, rows, dx);
    }
    return backend.output(dx, spec!);
  };
}

/** dW = col(x)ᵀ · dy for a filter of attrs.filterShape. */
function backpropFilter(op: string): CpuKernel<ConvBackpropFilterAttrs> {
  return ({ inputs: [x, dy], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const g = windowGeometry3D(op, x!.shape, attrs.filterShape.slice(0, r), attrs);
    const cout = attrs.filterShape[r + 1]!;
    const xv = backend.data(x!);
    const dyv = backend.data(dy!);
    const dw = backend.alloc(spec!);
    const m = outPositions(g);
    const k = taps(g);
    if (m === 0 || k === 0 || cout === 0) return backend.output(dw, spec!);
    if (isPointwiseWindow(g)) {
      gemm(k, cout, m, xv, 0, true, dyv, 0, false, dw, 0);
      return backend.output(dw, spec!);
    }
    const chunk = Math.min(rowsPerChunk(k), m);
    const col = scratch(0, dw, chunk * k);
    const part = m > chunk ? scratch(1, dw, k * cout) : dw;
    for (let row0 = 0; row0 < m; row0 += chunk) {
      const rows = Math.min(chunk, m - row0);
      im2col(xv, g, row0, rows, col);
      // gemm overwrites its output: the first chunk writes dW, later ones are added to it.
      const target = row0 === 0 ? dw : part;
      gemm(k, cout, rows, col, 0, true, dyv, row0 * cout, false, target, 0);
      if (row0 !== 0) for (let i = 0; i < k * cout; i++) dw[i]! += part[i]!;
    }
    return backend.output(dw, spec!);
  };
}

export const convKernelMap: Record<string, CpuKernel> = {
  Conv2D: forward('conv2d'),
  Conv2DBackpropInput: backpropInput('conv2DBackpropInput'),
  Conv2DBackpropFilter: backpropFilter('conv2DBackpropFilter'),
  Conv3D: forward('conv3d'),
  Conv3DBackpropInput: backpropInput('conv3DBackpropInput'),
  Conv3DBackpropFilter: backpropFilter('conv3DBackpropFilter'),
};
