/**
 * Reductions the SIMD loops of reduce.ts do not cover (Prod, All, Any; Sum/Max/Min of
 * int32 and float64), ArgMax/ArgMin and the scans Cumsum/Cumprod (assembly/scan.ts): one
 * pass over the input for any dtype, accumulating in float64 as the CPU kernels do.
 * Reductions over non-contiguous axes run the CPU kernels on the wasm memory.
 */
import type { DType, Shape } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import type { WasmBackend, WasmKernel } from '../backend.js';
import { byDtype, cpuFallback } from './elementwise.js';
import { KIND } from './kinds.js';
import { SLOT } from './slots.js';

/** Op codes of assembly/scan.ts. */
const REDUCE_AXIS = { Sum: 0, Prod: 1, Max: 2, Min: 3, All: 4, Any: 5 } as const;

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

interface AxisAttrs {
  axis: number;
}

interface ScanAttrs extends AxisAttrs {
  exclusive: boolean;
  reverse: boolean;
}

/** Axes that form one contiguous run (the reduction is then an (outer, r, inner) loop with no copy). */
export function contiguous(axes: readonly number[]): boolean {
  return axes.length > 0 && axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
}

/** The (outer, r, inner) view of `shape` around the axes first..last. */
export function axisView(shape: Shape, first: number, last: number): [number, number, number] {
  return [
    sizeFromShape(shape.slice(0, first)),
    sizeFromShape(shape.slice(first, last + 1)),
    sizeFromShape(shape.slice(last + 1)),
  ];
}

/** `inner` float64 accumulators. */
function accumulators(backend: WasmBackend, inner: number): number {
  return backend.workspace(SLOT.scanAccumulators, 8 * Math.max(inner, 1));
}

const ALL_DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'float64'];

/** The same kernel for every dtype in `dtypes` (inputs and output alike). */
function forDtypes(
  dtypes: readonly DType[],
  kernel: WasmKernel,
): Partial<Record<DType, WasmKernel>> {
  return Object.fromEntries(dtypes.map((d) => [d, kernel]));
}

/** Whether a reduction's axes are contiguous (the kernels' layout; others run the CPU kernel). */
export const contiguousAxes = ({ attrs }: Parameters<WasmKernel>[0]): boolean =>
  contiguous((attrs as ReduceAttrs).axes);

/** A reduction over contiguous axes, for any dtype (the caller checks the layout). */
export function reduceAxisKernel(name: keyof typeof REDUCE_AXIS): WasmKernel {
  const op = REDUCE_AXIS[name];
  const kernel: WasmKernel<ReduceAttrs> = ({
    inputs: [x],
    attrs: { axes },
    outputs: [spec],
    backend,
  }) => {
    const [outer, r, inner] = axisView(x!.shape, axes[0]!, axes[axes.length - 1]!);
    const acc = accumulators(backend, inner);
    const out = backend.output(spec!);
    if (outer * inner > 0) {
      const k = backend.kernels;
      const [kind, outKind] = [KIND[x!.dtype], KIND[spec!.dtype]];
      k.reduceAxis(op, kind, outKind, backend.ptr(x!), backend.ptr(out), outer, r, inner, acc);
    }
    return out;
  };
  return kernel;
}

/** A reduction kernel for every dtype (contiguous axes; others run the CPU kernel). */
function anyDtypeReduction(name: keyof typeof REDUCE_AXIS): WasmKernel {
  return byDtype(name, forDtypes(ALL_DTYPES, reduceAxisKernel(name)), contiguousAxes);
}

function argReduceKernel(name: 'ArgMax' | 'ArgMin'): WasmKernel {
  const kernel: WasmKernel<AxisAttrs> = ({
    inputs: [x],
    attrs: { axis },
    outputs: [spec],
    backend,
  }) => {
    const [outer, r, inner] = axisView(x!.shape, axis, axis);
    const best = accumulators(backend, inner);
    const out = backend.output(spec!);
    if (outer * inner > 0)
      backend.kernels.argReduce(
        name === 'ArgMax',
        KIND[x!.dtype],
        backend.ptr(x!),
        backend.ptr(out),
        outer,
        r,
        inner,
        best,
      );
    return out;
  };
  // int32 indices out, any dtype in; an empty axis (no index to return) runs the CPU kernel.
  const fallback = cpuFallback(name);
  const run: WasmKernel<AxisAttrs> = (args) =>
    args.inputs[0]!.shape[args.attrs.axis]! > 0 ? kernel(args) : fallback(args);
  return run;
}

function scanKernel(name: 'Cumsum' | 'Cumprod'): WasmKernel {
  const kernel: WasmKernel<ScanAttrs> = ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const [outer, n, inner] = axisView(x!.shape, attrs.axis, attrs.axis);
    const acc = accumulators(backend, inner);
    const out = backend.output(spec!);
    if (outer * n * inner > 0)
      backend.kernels.scan(
        name === 'Cumprod',
        KIND[x!.dtype],
        backend.ptr(x!),
        backend.ptr(out),
        outer,
        n,
        inner,
        attrs.exclusive,
        attrs.reverse,
        acc,
      );
    return out;
  };
  return byDtype(name, forDtypes(ALL_DTYPES, kernel));
}

export const scanKernels: Record<string, WasmKernel> = {
  Prod: anyDtypeReduction('Prod'),
  All: anyDtypeReduction('All'),
  Any: anyDtypeReduction('Any'),
  ArgMax: argReduceKernel('ArgMax'),
  ArgMin: argReduceKernel('ArgMin'),
  Cumsum: scanKernel('Cumsum'),
  Cumprod: scanKernel('Cumprod'),
};
