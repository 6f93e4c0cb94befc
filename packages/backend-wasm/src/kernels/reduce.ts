import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { WasmKernel } from '../backend.js';
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

export const reduceKernels: Record<string, WasmKernel> = {
  Sum: reduceKernel('Sum'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  Softmax: softmaxKernel('Softmax'),
  LogSoftmax: softmaxKernel('LogSoftmax'),
};
