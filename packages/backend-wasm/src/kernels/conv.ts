/**
 * Conv2D / Conv3D and their backprops via im2col (in wasm) + the SIMD GEMM, channels-last,
 * the same algorithm as the CPU backend:
 *   forward:         y[M × Cout]  = col(x)[M × K] · W[K × Cout]
 *   backprop input:  dx           = col2im(dy[M × Cout] · Wᵀ)
 *   backprop filter: dW[K × Cout] = Σ_chunks col(x)ᵀ · dy   (accumulated by the GEMM)
 * with M = output positions and K = taps·inChannels; the column matrix is built in chunks
 * of output rows in a persistent workspace. A 1×1 unit-stride convolution skips im2col.
 */
import type { Kernel } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
} from '@tapegrad/ops-conv';
import type { KernelCall, WasmBackend, WasmKernel } from '../backend.js';
import { float32Or, hosted } from './hosted.js';
import { gemm } from './matmul.js';
import { SLOT } from './slots.js';
import { windowGeometry } from './window.js';

/** Elements of one im2col chunk: 2^20 (4 MiB), so big batches stream through cache-sized pieces. */
const CHUNK_ELEMENTS = 1 << 20;

/** Column-matrix elements below which a thread is not worth waking for im2col/col2im (~30 µs). */
const MIN_COPY_PER_PART = 1 << 17;

interface Plan {
  /** Output positions (rows of the column matrix). */
  m: number;
  /** Output positions per batch element. */
  positions: number;
  /** Taps × in-channels (columns of the column matrix). */
  k: number;
  pointwise: boolean;
  /** Pointer of the geometry record in wasm memory. */
  geo: number;
}

function plan(backend: WasmBackend, geo: number[]): Plan {
  const [n, id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, , , , pd, pt, pl] = geo as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ptr = backend.workspace(SLOT.convGeometry, 20 * 4);
  backend.heap.i32.set(geo, ptr / 4);
  return {
    m: n * od * oh * ow,
    positions: od * oh * ow,
    k: fd * fh * fw * c,
    pointwise:
      fd * fh * fw === 1 &&
      sd * sh * sw === 1 &&
      pd === 0 &&
      pt === 0 &&
      pl === 0 &&
      od === id &&
      oh === ih &&
      ow === iw,
    geo: ptr,
  };
}

function rowsPerChunk(k: number, m: number): number {
  return Math.min(m, Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(k, 1))));
}

/** Rows [row0, row0 + rows) of x's column matrix into `col`, split among threads by rows. */
function im2col(
  backend: WasmBackend,
  px: number,
  p: Plan,
  row0: number,
  rows: number,
  col: number,
) {
  const parts = backend.partsFor(rows * p.k, MIN_COPY_PER_PART);
  const step = Math.ceil(rows / parts);
  const calls: KernelCall[] = [];
  for (let i0 = 0; i0 < rows; i0 += step) {
    calls.push({
      fn: 'im2col',
      args: [px, p.geo, row0 + i0, Math.min(step, rows - i0), col + i0 * p.k * 4],
    });
  }
  backend.parallel(calls);
}

/**
 * Accumulates rows [row0, row0 + rows) of a column matrix into dx. Windows of one image
 * overlap, those of different images do not: threads take whole images, and every element
 * of dx still sums its rows in the same order (bit-identical to one thread).
 */
function col2im(
  backend: WasmBackend,
  dcol: number,
  p: Plan,
  row0: number,
  rows: number,
  dx: number,
) {
  const first = Math.floor(row0 / p.positions);
  const images = Math.floor((row0 + rows - 1) / p.positions) - first + 1;
  const parts = Math.min(images, backend.partsFor(rows * p.k, MIN_COPY_PER_PART));
  const step = Math.ceil(images / parts);
  const calls: KernelCall[] = [];
  for (let image = first; image < first + images; image += step) {
    const r0 = Math.max(row0, image * p.positions);
    const r1 = Math.min(row0 + rows, (image + step) * p.positions);
    calls.push({ fn: 'col2im', args: [dcol + (r0 - row0) * p.k * 4, p.geo, r0, r1 - r0, dx] });
  }
  backend.parallel(calls);
}

function forward(op: string): WasmKernel<ConvAttrs> {
  return ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const cout = f!.shape[r + 1]!;
    const p = plan(backend, windowGeometry(op, x!.shape, f!.shape.slice(0, r), attrs));
    const out = backend.output(spec!);
    if (p.m === 0 || cout === 0) return out;
    const px = backend.ptr(x!);
    const pf = backend.ptr(f!);
    const py = backend.ptr(out);
    if (p.pointwise) {
      gemm(backend, p.m, cout, p.k, px, p.k, false, pf, cout, false, py, cout, false);
      return out;
    }
    const chunk = rowsPerChunk(p.k, p.m);
    const col = backend.workspace(SLOT.convColumns, chunk * p.k * 4);
    for (let row0 = 0; row0 < p.m; row0 += chunk) {
      const rows = Math.min(chunk, p.m - row0);
      im2col(backend, px, p, row0, rows, col);
      gemm(
        backend,
        rows,
        cout,
        p.k,
        col,
        p.k,
        false,
        pf,
        cout,
        false,
        py + row0 * cout * 4,
        cout,
        false,
      );
    }
    return out;
  };
}

function backpropInput(op: string): WasmKernel<ConvBackpropInputAttrs> {
  return ({ inputs: [dy, f], attrs, outputs: [spec], backend }) => {
    const r = attrs.inputShape.length - 2;
    const cout = f!.shape[r + 1]!;
    const p = plan(backend, windowGeometry(op, attrs.inputShape, f!.shape.slice(0, r), attrs));
    const empty = p.m === 0 || p.k === 0 || cout === 0;
    const dx = backend.output(spec!, empty || !p.pointwise);
    if (empty) return dx;
    const pdy = backend.ptr(dy!);
    const pf = backend.ptr(f!);
    const pdx = backend.ptr(dx);
    if (p.pointwise) {
      gemm(backend, p.m, p.k, cout, pdy, cout, false, pf, cout, true, pdx, p.k, false);
      return dx;
    }
    const chunk = rowsPerChunk(p.k, p.m);
    const dcol = backend.workspace(SLOT.convColumns, chunk * p.k * 4);
    for (let row0 = 0; row0 < p.m; row0 += chunk) {
      const rows = Math.min(chunk, p.m - row0);
      gemm(
        backend,
        rows,
        p.k,
        cout,
        pdy + row0 * cout * 4,
        cout,
        false,
        pf,
        cout,
        true,
        dcol,
        p.k,
        false,
      );
      col2im(backend, dcol, p, row0, rows, pdx);
    }
    return dx;
  };
}

function backpropFilter(op: string): WasmKernel<ConvBackpropFilterAttrs> {
  return ({ inputs: [x, dy], attrs, outputs: [spec], backend }) => {
    const r = x!.shape.length - 2;
    const cout = attrs.filterShape[r + 1]!;
    const p = plan(backend, windowGeometry(op, x!.shape, attrs.filterShape.slice(0, r), attrs));
    const dw = backend.output(spec!, p.m === 0);
    if (p.m === 0 || p.k === 0 || cout === 0) return dw;
    const px = backend.ptr(x!);
    const pdy = backend.ptr(dy!);
    const pdw = backend.ptr(dw);
    if (p.pointwise) {
      gemm(backend, p.k, cout, p.m, px, p.k, true, pdy, cout, false, pdw, cout, false);
      return dw;
    }
    const chunk = rowsPerChunk(p.k, p.m);
    const col = backend.workspace(SLOT.convColumns, chunk * p.k * 4);
    for (let row0 = 0; row0 < p.m; row0 += chunk) {
      const rows = Math.min(chunk, p.m - row0);
      im2col(backend, px, p, row0, rows, col);
      // The first chunk writes dW, later ones accumulate into it.
      gemm(
        backend,
        p.k,
        cout,
        rows,
        col,
        p.k,
        true,
        pdy + row0 * cout * 4,
        cout,
        false,
        pdw,
        cout,
        row0 > 0,
      );
    }
    return dw;
  };
}

function withCpu(name: string, fast: WasmKernel): WasmKernel {
  return float32Or(fast, hosted(cpuKernels[name] as Kernel));
}

export const convKernels: Record<string, WasmKernel> = {
  Conv2D: withCpu('Conv2D', forward('conv2d')),
  Conv2DBackpropInput: withCpu('Conv2DBackpropInput', backpropInput('conv2DBackpropInput')),
  Conv2DBackpropFilter: withCpu('Conv2DBackpropFilter', backpropFilter('conv2DBackpropFilter')),
  Conv3D: withCpu('Conv3D', forward('conv3d')),
  Conv3DBackpropInput: withCpu('Conv3DBackpropInput', backpropInput('conv3DBackpropInput')),
  Conv3DBackpropFilter: withCpu('Conv3DBackpropFilter', backpropFilter('conv3DBackpropFilter')),
};
