/**
 * Max and average pooling (2-D and 3-D share the loops: 2-D has depth 1) and their
 * gradients. Windows only visit real (unpadded) elements: max pooling never picks padding,
 * average pooling divides by the count of real elements, and a window without any gives 0.
 *
 * The max-pool gradients recompute each window's argmax from x (the first maximum on
 * ties), so MaxPool, MaxPoolGrad (scatter dy to the argmax) and MaxPoolGradGrad (gather at
 * the argmax) always agree.
 */
import type { Shape, TypedArray } from '@tapegrad/core';
import type { PoolAttrs, PoolGradAttrs, Window3D } from '@tapegrad/ops-conv';
import { windowGeometry3D } from '@tapegrad/ops-conv';
import type { CpuKernel } from '../../backend.js';
import { validRange } from './geometry.js';

function poolGeometry(op: string, xShape: Shape, attrs: PoolAttrs): Window3D {
  return windowGeometry3D(op, xShape, attrs.filterSize, attrs);
}

/**
 * Visits every output position: `fn(yBase, taps)` where `taps` lists the x offsets
 * (of channel 0) of the window's real elements, `count` of them.
 */
function forEachWindow(
  g: Window3D,
  fn: (yb: number, taps: Int32Array, count: number) => void,
): void {
  const { n, id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, pd, pt, pl } = g;
  const taps = new Int32Array(fd * fh * fw);
  let yb = 0;
  for (let b = 0; b < n; b++) {
    for (let zd = 0; zd < od; zd++) {
      const d0 = zd * sd - pd;
      const [kd0, kd1] = validRange(d0, 1, fd, id);
      for (let zh = 0; zh < oh; zh++) {
        const h0 = zh * sh - pt;
        const [kh0, kh1] = validRange(h0, 1, fh, ih);
        for (let zw = 0; zw < ow; zw++, yb += c) {
          const w0 = zw * sw - pl;
          const [kw0, kw1] = validRange(w0, 1, fw, iw);
          let count = 0;
          for (let kd = kd0; kd < kd1; kd++) {
            for (let kh = kh0; kh < kh1; kh++) {
              const row = ((b * id + d0 + kd) * ih + h0 + kh) * iw + w0;
              for (let kw = kw0; kw < kw1; kw++) taps[count++] = (row + kw) * c;
            }
          }
          fn(yb, taps, count);
        }
      }
    }
  }
}

/** Index into x of the (first) maximum of every window and channel; -1 for an empty window. */
function argmax(xv: TypedArray, g: Window3D, size: number): Int32Array {
  const idx = new Int32Array(size).fill(-1);
  const c = g.c;
  const best = new Float64Array(c);
  forEachWindow(g, (yb, taps, count) => {
    if (count === 0) return;
    const first = taps[0]!;
    for (let ch = 0; ch < c; ch++) {
      best[ch] = xv[first + ch]!;
      idx[yb + ch] = first + ch;
    }
    for (let t = 1; t < count; t++) {
      const p = taps[t]!;
      for (let ch = 0; ch < c; ch++) {
        const v = xv[p + ch]!;
        if (v > best[ch]!) {
          best[ch] = v;
          idx[yb + ch] = p + ch;
        }
      }
    }
  });
  return idx;
}

function maxPool(op: string): CpuKernel<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const xv = backend.data(x!);
    const out = backend.alloc(spec!);
    const idx = argmax(xv, poolGeometry(op, x!.shape, attrs), out.length);
    for (let i = 0; i < out.length; i++) {
      const j = idx[i]!;
      out[i] = j >= 0 ? xv[j]! : 0;
    }
    return backend.output(out, spec!);
  };
}

/** dx[argmax] += dy. */
function maxPoolGrad(op: string): CpuKernel<PoolAttrs> {
  return ({ inputs: [x, dy], attrs, outputs: [spec], backend }) => {
    const dyv = backend.data(dy!);
    const dx = backend.alloc(spec!);
    const idx = argmax(backend.data(x!), poolGeometry(op, x!.shape, attrs), dyv.length);
    for (let i = 0; i < dyv.length; i++) {
      const j = idx[i]!;
      if (j >= 0) dx[j]! += dyv[i]!;
    }
    return backend.output(dx, spec!);
  };
}

/** out = g[argmax]. */
function maxPoolGradGrad(op: string): CpuKernel<PoolAttrs> {
  return ({ inputs: [x, gr], attrs, outputs: [spec], backend }) => {
    const gv = backend.data(gr!);
    const out = backend.alloc(spec!);
    const idx = argmax(backend.data(x!), poolGeometry(op, x!.shape, attrs), out.length);
    for (let i = 0; i < out.length; i++) {
      const j = idx[i]!;
      out[i] = j >= 0 ? gv[j]! : 0;
    }
    return backend.output(out, spec!);
  };
}

function avgPool(op: string): CpuKernel<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const xv = backend.data(x!);
    const out = backend.alloc(spec!);
    const g = poolGeometry(op, x!.shape, attrs);
    const c = g.c;
    const acc = new Float64Array(c);
    forEachWindow(g, (yb, taps, count) => {
      if (count === 0) return;
      acc.fill(0);
      for (let t = 0; t < count; t++) {
        const p = taps[t]!;
        for (let ch = 0; ch < c; ch++) acc[ch]! += xv[p + ch]!;
      }
      for (let ch = 0; ch < c; ch++) out[yb + ch] = acc[ch]! / count;
    });
    return backend.output(out, spec!);
  };
}

/** dx[window] += dy / count. */
function avgPoolGrad(op: string): CpuKernel<PoolGradAttrs> {
  return ({ inputs: [dy], attrs, outputs: [spec], backend }) => {
    const dyv = backend.data(dy!);
    const dx = backend.alloc(spec!);
    const g = poolGeometry(op, attrs.inputShape, attrs);
    const c = g.c;
    forEachWindow(g, (yb, taps, count) => {
      for (let t = 0; t < count; t++) {
        const p = taps[t]!;
        for (let ch = 0; ch < c; ch++) dx[p + ch]! += dyv[yb + ch]! / count;
      }
    });
    return backend.output(dx, spec!);
  };
}

export const poolKernelMap: Record<string, CpuKernel> = {
  MaxPool: maxPool('maxPool'),
  MaxPoolGrad: maxPoolGrad('maxPoolGrad'),
  MaxPoolGradGrad: maxPoolGradGrad('maxPoolGradGrad'),
  AvgPool: avgPool('avgPool'),
  AvgPoolGrad: avgPoolGrad('avgPoolGrad'),
  MaxPool3D: maxPool('maxPool3d'),
  MaxPool3DGrad: maxPoolGrad('maxPool3DGrad'),
  MaxPool3DGradGrad: maxPoolGradGrad('maxPool3DGradGrad'),
  AvgPool3D: avgPool('avgPool3d'),
  AvgPool3DGrad: avgPoolGrad('avgPool3DGrad'),
};
