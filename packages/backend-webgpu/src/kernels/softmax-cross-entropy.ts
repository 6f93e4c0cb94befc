/**
 * Softmax cross-entropy and its gradient as row kernels: one invocation per line of the last
 * axis, in one dispatch each (their compositions take two and three: log-softmax, then a sum;
 * softmax, a sum of the labels, then the elementwise rest).
 */
import type { Kernel } from '@tapegrad/core';
import { shapesEqual, sizeFromShape } from '@tapegrad/core';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { fusedExpression } from '../fusion/codegen.js';
import { program } from '../wgsl.js';

type WK = Kernel<Record<string, never>, WebGPUBackend>;

/** Line i's max m and sum s of exp(x − m), x bound as `x` (as the Softmax/LogSoftmax kernels). */
const lineStats = (x: string): string => `
  let n = prm(1u);
  let base = i * n;
  var m = -f_inf();
  for (var r = 0u; r < n; r = r + 1u) { let v = ${x}[base + r]; if (v > m || is_nan(v)) { m = v; } }
  var s = 0.0;
  for (var r = 0u; r < n; r = r + 1u) { s = s + exp(${x}[base + r] - m); }`;

/** loss[i] = −Σ_r labels[i, r] · (x[i, r] − m − log s): −Σ labels · logSoftmax(x) per line. */
const SoftmaxCrossEntropyWithLogits: WK = ({ inputs: [labels, x], outputs: [o], backend }) => {
  const n = x!.shape[x!.shape.length - 1]!;
  const lines = sizeFromShape(o!.shape);
  const out = backend.alloc(o!);
  const prog = program({
    key: 'softmax-xent',
    inputs: ['f32', 'f32'],
    output: 'f32',
    numParams: 2,
    body: `${lineStats('in1')}
  let ls = log(s);
  var acc = 0.0;
  for (var r = 0u; r < n; r = r + 1u) { acc = acc + in0[base + r] * ((in1[base + r] - m) - ls); }
  out[i] = -acc;`,
  });
  backend.run(prog, [labels!.dataId as GpuData, x!.dataId as GpuData], out, [lines, n], lines);
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

/**
 * d logits[i, r] = dy[i] · (softmax(x)[i, r] · Σ_r labels[i, r] − labels[i, r]) (the derivative
 * of −Σ labels · (x − logsumexp x)). A lazy dy (the seed's broadcast) is computed inside.
 */
const SoftmaxCrossEntropyGrad: WK = ({ inputs: [dy, labels, x], outputs: [o], backend }) => {
  const n = x!.shape[x!.shape.length - 1]!;
  const lines = sizeFromShape(dy!.shape);
  const out = backend.alloc(o!);
  const d = dy!.dataId as GpuData;
  // dy, lazy (the seed's broadcast) or not, as fused(i) over in0..in{k-1}; labels and logits after.
  const dyFn =
    d.expr && shapesEqual(d.expr.shape, dy!.shape) ? fusedExpression(d, dy!.shape, 2) : null;
  const dyInputs = dyFn ? dyFn.inputs : [d];
  const [labelsIn, xIn] = [`in${dyInputs.length}`, `in${dyInputs.length + 1}`];
  const prog = program({
    key: `softmax-xent-grad${dyFn ? `:${dyFn.key}` : ''}`,
    inputs: [...dyInputs.map(() => 'f32'), 'f32', 'f32'],
    output: 'f32',
    numParams: 2 + (dyFn?.params.length ?? 0),
    helpers: dyFn ? dyFn.code : 'fn fused(i: u32) -> f32 { return in0[i]; }',
    body: `${lineStats(xIn)}
  var sl = 0.0;
  for (var r = 0u; r < n; r = r + 1u) { sl = sl + ${labelsIn}[base + r]; }
  let dyi = fused(i);
  for (var r = 0u; r < n; r = r + 1u) {
    let p = base + r;
    out[p] = dyi * ((exp(${xIn}[p] - m) / s) * sl - ${labelsIn}[p]);
  }`,
  });
  const inputs = [...dyInputs, labels!.dataId as GpuData, x!.dataId as GpuData];
  backend.run(prog, inputs, out, [lines, n, ...(dyFn?.params ?? [])], lines);
  return { dataId: out, shape: o!.shape, dtype: o!.dtype };
};

export const softmaxCrossEntropyKernels: Record<string, WK> = {
  SoftmaxCrossEntropyWithLogits,
  SoftmaxCrossEntropyGrad,
};
