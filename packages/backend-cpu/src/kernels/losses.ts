import type { TypedArray } from '@tapegrad/core';
import type { CpuKernel } from '../backend.js';

/**
 * Visits each row of n logits at `base`, with its max (0 when every logit is −∞) and
 * Σ e^(x−max), computed in double.
 */
function forEachRow(
  x: TypedArray,
  n: number,
  row: (r: number, base: number, max: number, total: number) => void,
): void {
  const rows = n === 0 ? 0 : x.length / n;
  for (let r = 0, base = 0; r < rows; r++, base += n) {
    let max = -Infinity;
    for (let k = 0; k < n; k++) if (x[base + k]! > max) max = x[base + k]!;
    if (max === -Infinity) max = 0;
    let total = 0;
    for (let k = 0; k < n; k++) total += Math.exp(x[base + k]! - max);
    row(r, base, max, total);
  }
}

/** −Σ labels·logSoftmax(x) per row: Σ labels·(max + log Σ e^(x−max) − x). */
const softmaxCrossEntropy: CpuKernel = ({ inputs: [labels, x], outputs: [spec], backend }) => {
  const l = backend.data(labels!);
  const v = backend.data(x!);
  const out = backend.alloc(spec!);
  const n = x!.shape[x!.shape.length - 1]!;
  forEachRow(v, n, (r, base, max, total) => {
    const lse = max + Math.log(total);
    let loss = 0;
    for (let k = 0; k < n; k++) loss += l[base + k]! * (lse - v[base + k]!);
    out[r] = loss;
  });
  return backend.output(out, spec!);
};

/** dy·(softmax(x)·Σ labels − labels) per row. */
const softmaxCrossEntropyGrad: CpuKernel = ({
  inputs: [dy, labels, x],
  outputs: [spec],
  backend,
}) => {
  const g = backend.data(dy!);
  const l = backend.data(labels!);
  const v = backend.data(x!);
  const out = backend.alloc(spec!);
  const n = x!.shape[x!.shape.length - 1]!;
  forEachRow(v, n, (r, base, max, total) => {
    let labelSum = 0;
    for (let k = 0; k < n; k++) labelSum += l[base + k]!;
    const scale = (g[r]! * labelSum) / total;
    for (let k = 0; k < n; k++)
      out[base + k] = scale * Math.exp(v[base + k]! - max) - g[r]! * l[base + k]!;
  });
  return backend.output(out, spec!);
};

export const lossKernels: Record<string, CpuKernel> = {
  SoftmaxCrossEntropyWithLogits: softmaxCrossEntropy,
  SoftmaxCrossEntropyGrad: softmaxCrossEntropyGrad,
};
