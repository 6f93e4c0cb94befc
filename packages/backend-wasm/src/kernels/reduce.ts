import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { KernelCall, WasmKernel } from '../backend.js';
import { byDtype } from './elementwise.js';
import { float32Or, hosted } from './hosted.js';
import { contiguousAxes, reduceAxisKernel } from './scan.js';
import { SLOT } from './slots.js';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** Op codes of assembly/reduce.ts. */
const REDUCE = { Sum: 0, Max: 1, Min: 2 } as const;

function reduceKernel(name: keyof typeof REDUCE): WasmKernel {
  const op = REDUCE[name];
  const fast: WasmKernel<ReduceAttrs> = ({
    inputs: [x],
    attrs: { axes },
    outputs: [spec],
    backend,
  }) => {
    const shape = x!.shape;
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const outer = sizeFromShape(shape.slice(0, first));
    const r = sizeFromShape(shape.slice(first, last + 1));
    const inner = sizeFromShape(shape.slice(last + 1));
    const out = backend.output(spec!);
    if (outer * inner === 0) return out;
    const scratch =
      inner > 1 && op === REDUCE.Sum ? backend.workspace(SLOT.sumPartials, inner * 8) : 0;
    backend.kernels.reduce(op, backend.ptr(x!), backend.ptr(out), outer, r, inner, scratch);
    return out;
  };
  // int32 and float64 take the generic one-pass kernel (float64 accumulators, as the CPU).
  const generic = reduceAxisKernel(name);
  return byDtype(name, { float32: fast, int32: generic, float64: generic }, contiguousAxes);
}

interface AxisAttrs {
  axis: number;
}

/** Softmax / LogSoftmax along the last axis (contiguous rows); other axes run the CPU kernel. */
function softmaxKernel(name: 'Softmax' | 'LogSoftmax'): WasmKernel {
  const fast: WasmKernel<AxisAttrs> = ({ inputs: [x], outputs: [spec], backend }) => {
    const shape = x!.shape;
    const n = shape[shape.length - 1]!;
    const rows = sizeFromShape(shape.slice(0, -1));
    const out = backend.output(spec!);
    if (rows * n > 0)
      backend.kernels.softmaxRows(
        backend.ptr(x!),
        backend.ptr(out),
        rows,
        n,
        name === 'LogSoftmax',
      );
    return out;
  };
  return float32Or(
    fast,
    hosted(cpuKernels[name] as Kernel),
    ({ inputs: [x], attrs }) => (attrs as AxisAttrs).axis === x!.shape.length - 1,
  );
}

/** Logits a softmax cross-entropy part gets at least (~30 µs of exponentials). */
const MIN_LOGITS_PER_PART = 1 << 14;

/**
 * SoftmaxCrossEntropyWithLogits (inputs labels, logits) or SoftmaxCrossEntropyGrad (dy,
 * labels, logits) along the last axis in `softmaxCrossEntropyRows`, rows split among threads.
 */
function softmaxCrossEntropyKernel(grad: boolean): WasmKernel {
  const name = grad ? 'SoftmaxCrossEntropyGrad' : 'SoftmaxCrossEntropyWithLogits';
  const float32: WasmKernel = ({ inputs, outputs: [spec], backend }) => {
    const [dy, labels, x] = grad ? inputs : [null, ...inputs];
    const n = x!.shape[x!.shape.length - 1]!;
    const rows = sizeFromShape(x!.shape.slice(0, -1));
    // No logits per row: the loss is an empty sum (0); the gradient has no elements.
    const out = backend.output(spec!, n === 0);
    if (rows * n === 0) return out;
    const [pl, px, po] = [backend.ptr(labels!), backend.ptr(x!), backend.ptr(out)];
    const pd = dy ? backend.ptr(dy) : 0;
    const step = Math.ceil(rows / backend.partsFor(rows * n, MIN_LOGITS_PER_PART));
    const calls: KernelCall[] = [];
    for (let r0 = 0; r0 < rows; r0 += step) {
      calls.push({
        fn: 'softmaxCrossEntropyRows',
        args: [
          pl + r0 * n * 4,
          px + r0 * n * 4,
          pd + r0 * 4,
          po + r0 * (grad ? n : 1) * 4,
          Math.min(step, rows - r0),
          n,
          grad ? 1 : 0,
        ],
      });
    }
    backend.parallel(calls);
    return out;
  };
  return byDtype(name, { float32 });
}

export const reduceKernels: Record<string, WasmKernel> = {
  Sum: reduceKernel('Sum'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  Softmax: softmaxKernel('Softmax'),
  LogSoftmax: softmaxKernel('LogSoftmax'),
  SoftmaxCrossEntropyWithLogits: softmaxCrossEntropyKernel(false),
  SoftmaxCrossEntropyGrad: softmaxCrossEntropyKernel(true),
};
