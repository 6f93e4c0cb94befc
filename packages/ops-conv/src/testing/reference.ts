/**
 * Naive float64 references of the conv suite: direct convolution and pooling loops over
 * flat arrays in channels-last layout, with their own (tfjs) output-size rules. They share
 * no code with the ops under test.
 */

export interface RefTensor {
  data: number[];
  shape: number[];
}

export type RefPad = 'valid' | 'same' | number | number[][];

export interface RefWindow {
  strides: number[];
  dilations: number[];
  pad: RefPad;
  rounding?: 'floor' | 'round' | 'ceil';
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Output size and padding before, per spatial dimension (tfjs's getPadAndOutInfo). */
export function refGeometry(
  inSize: number[],
  filter: number[],
  w: RefWindow,
): { out: number[]; before: number[] } {
  const out: number[] = [];
  const before: number[] = [];
  inSize.forEach((n, i) => {
    const f = (filter[i]! - 1) * w.dilations[i]! + 1;
    const s = w.strides[i]!;
    const rnd = (v: number) =>
      w.rounding === 'ceil' ? Math.ceil(v) : w.rounding === 'round' ? Math.round(v) : Math.floor(v);
    if (w.pad === 'same') {
      const o = Math.ceil(n / s);
      out.push(o);
      before.push(Math.floor(Math.max(0, (o - 1) * s + f - n) / 2));
    } else if (w.pad === 'valid') {
      out.push(Math.ceil((n - f + 1) / s));
      before.push(0);
    } else if (typeof w.pad === 'number') {
      out.push(rnd((n + 2 * w.pad - f) / s + 1));
      before.push(w.pad);
    } else {
      const [b, a] = w.pad[i + 1]!;
      out.push(rnd((n + b! + a! - f) / s + 1));
      before.push(b!);
    }
  });
  return { out, before };
}

/** Multi-index of flat index `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + idx[d]!;
  return i;
}

/**
 * Direct convolution of x [n, ...spatial, cin] with filter [...fs, cin, cout] (or, depthwise,
 * [...fs, cin, mult] giving cin·mult channels): y[o, co] = Σ_{k, ci} x[o·s − p + k·d, ci] · w[k, ci, co].
 */
export function refConv(x: RefTensor, w: RefTensor, win: RefWindow, depthwise = false): RefTensor {
  const r = x.shape.length - 2;
  const inSize = x.shape.slice(1, r + 1);
  const fs = w.shape.slice(0, r);
  const cin = x.shape[r + 1]!;
  const last = w.shape[r + 1]!;
  const cout = depthwise ? cin * last : last;
  const { out, before } = refGeometry(inSize, fs, win);
  const shape = [x.shape[0]!, ...out, cout];
  const data = new Array<number>(prod(shape)).fill(0);
  const taps = prod(fs);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const co = idx[r + 1]!;
    let s = 0;
    for (let t = 0; t < taps; t++) {
      const k = unravel(t, fs);
      const pos = k.map(
        (kk, d) => idx[d + 1]! * win.strides[d]! - before[d]! + kk * win.dilations[d]!,
      );
      if (pos.some((p, d) => p < 0 || p >= inSize[d]!)) continue;
      if (depthwise) {
        const ci = Math.floor(co / last);
        s +=
          x.data[ravel([idx[0]!, ...pos, ci], x.shape)]! *
          w.data[ravel([...k, ci, co % last], w.shape)]!;
      } else {
        for (let ci = 0; ci < cin; ci++) {
          s +=
            x.data[ravel([idx[0]!, ...pos, ci], x.shape)]! *
            w.data[ravel([...k, ci, co], w.shape)]!;
        }
      }
    }
    data[i] = s;
  }
  return { data, shape };
}

/**
 * Direct transposed convolution: x [n, ...spatial, cin] is scattered through filter
 * [...fs, cout, cin] into an output of `outShape`: y[o·s − p + k·d, co] += x[o, ci] · w[k, co, ci].
 */
export function refConvTranspose(
  x: RefTensor,
  w: RefTensor,
  outShape: number[],
  win: RefWindow,
): RefTensor {
  const r = x.shape.length - 2;
  const fs = w.shape.slice(0, r);
  const outSize = outShape.slice(1, r + 1);
  const { before } = refGeometry(outSize, fs, win);
  const cin = x.shape[r + 1]!;
  const cout = outShape[r + 1]!;
  const data = new Array<number>(prod(outShape)).fill(0);
  const taps = prod(fs);
  for (let i = 0; i < prod(x.shape) / cin; i++) {
    const idx = unravel(i, x.shape.slice(0, r + 1));
    for (let t = 0; t < taps; t++) {
      const k = unravel(t, fs);
      const pos = k.map(
        (kk, d) => idx[d + 1]! * win.strides[d]! - before[d]! + kk * win.dilations[d]!,
      );
      if (pos.some((p, d) => p < 0 || p >= outSize[d]!)) continue;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) {
          data[ravel([idx[0]!, ...pos, co], outShape)]! +=
            x.data[ravel([...idx, ci], x.shape)]! * w.data[ravel([...k, co, ci], w.shape)]!;
        }
      }
    }
  }
  return { data, shape: outShape };
}

/** Direct max or average pooling over the real elements of each window (0 for an empty window). */
export function refPool(
  x: RefTensor,
  filter: number[],
  win: RefWindow,
  kind: 'max' | 'avg',
): RefTensor {
  const r = x.shape.length - 2;
  const inSize = x.shape.slice(1, r + 1);
  const c = x.shape[r + 1]!;
  const { out, before } = refGeometry(inSize, filter, win);
  const shape = [x.shape[0]!, ...out, c];
  const data = new Array<number>(prod(shape)).fill(0);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const vals: number[] = [];
    for (let t = 0; t < prod(filter); t++) {
      const k = unravel(t, filter);
      const pos = k.map((kk, d) => idx[d + 1]! * win.strides[d]! - before[d]! + kk);
      if (pos.some((p, d) => p < 0 || p >= inSize[d]!)) continue;
      vals.push(x.data[ravel([idx[0]!, ...pos, idx[r + 1]!], x.shape)]!);
    }
    if (vals.length === 0) continue;
    data[i] = kind === 'max' ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0) / vals.length;
  }
  return { data, shape };
}

/** Channels-first → channels-last for flat data. */
export function refToChannelsLast(x: RefTensor): RefTensor {
  const r = x.shape.length;
  const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  return refTranspose(x, perm);
}

/** Channels-last → channels-first for flat data. */
export function refToChannelsFirst(x: RefTensor): RefTensor {
  const r = x.shape.length;
  return refTranspose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

function refTranspose(x: RefTensor, perm: number[]): RefTensor {
  const shape = perm.map((p) => x.shape[p]!);
  const data = new Array<number>(x.data.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((p, d) => (src[p] = idx[d]!));
    data[i] = x.data[ravel(src, x.shape)]!;
  }
  return { data, shape };
}
