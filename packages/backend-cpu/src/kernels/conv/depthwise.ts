/**
 * DepthwiseConv2D and its backprops: direct loops (the work per output is small, so no
 * im2col). x [n, h, w, c], filter [fh, fw, c, m], y [n, oh, ow, c·m] with
 * y[.., ch·m + q] = Σ_taps x[.., ch] · filter[kh, kw, ch, q]. The innermost loops run over
 * the contiguous channel (and multiplier) axis.
 */
import type { TypedArray } from '@tapegrad/core';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
  Window3D,
} from '@tapegrad/ops-conv';
import { windowGeometry3D } from '@tapegrad/ops-conv';
import type { CpuKernel } from '../../backend.js';
import { validRange } from './geometry.js';

/**
 * Visits every (output position, in-bounds tap) pair: `fn(xBase, wBase, yBase)` with the
 * offsets of x[n, zh, zw, 0], filter[kh, kw, 0, 0] and y[n, oh, ow, 0].
 */
function forEachTap(
  g: Window3D,
  cm: number,
  fn: (xb: number, wb: number, yb: number) => void,
): void {
  const { n, ih, iw, c, oh, ow, fh, fw, sh, sw, dh, dw, pt, pl } = g;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const h0 = y * sh - pt;
      const [kh0, kh1] = validRange(h0, dh, fh, ih);
      for (let x = 0; x < ow; x++) {
        const w0 = x * sw - pl;
        const [kw0, kw1] = validRange(w0, dw, fw, iw);
        const yb = ((b * oh + y) * ow + x) * cm;
        for (let kh = kh0; kh < kh1; kh++) {
          const rowBase = (b * ih + h0 + kh * dh) * iw;
          for (let kw = kw0; kw < kw1; kw++)
            fn((rowBase + w0 + kw * dw) * c, (kh * fw + kw) * cm, yb);
        }
      }
    }
  }
}

function forward(xv: TypedArray, fv: TypedArray, out: TypedArray, g: Window3D, m: number): void {
  const c = g.c;
  forEachTap(g, c * m, (xb, wb, yb) => {
    if (m === 1) {
      for (let ch = 0; ch < c; ch++) out[yb + ch]! += xv[xb + ch]! * fv[wb + ch]!;
      return;
    }
    for (let ch = 0; ch < c; ch++) {
      const v = xv[xb + ch]!;
      const o = ch * m;
      for (let q = 0; q < m; q++) out[yb + o + q]! += v * fv[wb + o + q]!;
    }
  });
}

const depthwise: CpuKernel<ConvAttrs> = ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
  const g = windowGeometry3D('depthwiseConv2d', x!.shape, f!.shape.slice(0, 2), attrs);
  const out = backend.alloc(spec!);
  forward(backend.data(x!), backend.data(f!), out, g, f!.shape[3]!);
  return backend.output(out, spec!);
};

const backpropInput: CpuKernel<ConvBackpropInputAttrs> = ({
  inputs: [dy, f],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const g = windowGeometry3D(
    'depthwiseConv2DBackpropInput',
    attrs.inputShape,
    f!.shape.slice(0, 2),
    attrs,
  );
  const m = f!.shape[3]!;
  const c = g.c;
  const dyv = backend.data(dy!);
  const fv = backend.data(f!);
  const dx = backend.alloc(spec!);
  forEachTap(g, c * m, (xb, wb, yb) => {
    for (let ch = 0; ch < c; ch++) {
      const o = ch * m;
      let s = 0;
      for (let q = 0; q < m; q++) s += dyv[yb + o + q]! * fv[wb + o + q]!;
      dx[xb + ch]! += s;
    }
  });
  return backend.output(dx, spec!);
};

const backpropFilter: CpuKernel<ConvBackpropFilterAttrs> = ({
  inputs: [x, dy],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const g = windowGeometry3D(
    'depthwiseConv2DBackpropFilter',
    x!.shape,
    attrs.filterShape.slice(0, 2),
    attrs,
  );
  const m = attrs.filterShape[3]!;
  const c = g.c;
  const xv = backend.data(x!);
  const dyv = backend.data(dy!);
  // Accumulate in float64: a filter gradient sums over every output position.
  const acc = new Float64Array(spec!.shape.reduce((a, b) => a * b, 1));
  forEachTap(g, c * m, (xb, wb, yb) => {
    for (let ch = 0; ch < c; ch++) {
      const v = xv[xb + ch]!;
      const o = ch * m;
      for (let q = 0; q < m; q++) acc[wb + o + q]! += v * dyv[yb + o + q]!;
    }
  });
  const dw = backend.alloc(spec!);
  dw.set(acc);
  return backend.output(dw, spec!);
};

export const depthwiseKernelMap: Record<string, CpuKernel> = {
  DepthwiseConv2D: depthwise,
  DepthwiseConv2DBackpropInput: backpropInput,
  DepthwiseConv2DBackpropFilter: backpropFilter,
};
