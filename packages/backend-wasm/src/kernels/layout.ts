/**
 * Layout kernels in wasm (assembly/layout.ts) for every dtype: they move elements of 1
 * (bool), 4 (float32, int32) or 8 (float64) bytes without looking at them. Each op is a
 * strided copy, src[Σ k_d·srcStrides_d] → dst[Σ k_d·dstStrides_d] over a shape, planned
 * here: size-1 dimensions are dropped and dimensions contiguous in both arrays merged, so a
 * contiguous slice is one memory.copy. A transpose that moves the contiguous axis runs in
 * cache-sized tiles (4×4 SIMD transposes for 4-byte elements).
 */
import type { DType, Shape, TensorInfo } from '@tapegrad/core';
import { bytesPerElement, makeTypedArray, sizeFromShape, stridesOf } from '@tapegrad/core';
import { broadcastStrides } from '@tapegrad/backend-cpu';
import type { KernelCall, WasmBackend, WasmKernel } from '../backend.js';
import { SLOT } from './slots.js';

/** A strided copy after dropping size-1 dimensions and merging contiguous ones. */
export interface StridedPlan {
  shape: number[];
  src: number[];
  dst: number[];
}

/**
 * Simplifies the copy of `shape` with element strides `src` → `dst`; null when it copies
 * nothing. Dimension d merges into d + 1 when both arrays step over d as one block of d + 1.
 */
export function planStrided(
  shape: Shape,
  src: readonly number[],
  dst: readonly number[],
): StridedPlan | null {
  if (sizeFromShape(shape) === 0) return null;
  const plan: StridedPlan = { shape: [], src: [], dst: [] };
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = plan.shape.length - 1;
    if (last >= 0 && plan.src[last] === src[d]! * n && plan.dst[last] === dst[d]! * n) {
      plan.shape[last]! *= n;
      plan.src[last] = src[d]!;
      plan.dst[last] = dst[d]!;
    } else {
      plan.shape.push(n);
      plan.src.push(src[d]!);
      plan.dst.push(dst[d]!);
    }
  }
  if (plan.shape.length === 0) return { shape: [1], src: [1], dst: [1] };
  return plan;
}

/** Bytes a copy moves per thread at least (~50 µs of memory traffic). */
const MIN_BYTES_PER_PART = 1 << 20;

/**
 * Runs a planned strided copy; `src`/`dst` are byte pointers of the elements at index 0.
 * Big copies split their outermost dimension among the kernel threads (each part with its
 * own record: the kernel keeps its counter there).
 */
export function runStrided(
  backend: WasmBackend,
  plan: StridedPlan | null,
  src: number,
  dst: number,
  elementBytes: number,
): void {
  if (!plan) return;
  const rank = plan.shape.length;
  const outer = plan.shape[0]!;
  const bytes = sizeFromShape(plan.shape) * elementBytes;
  const step = Math.ceil(outer / Math.min(outer, backend.partsFor(bytes, MIN_BYTES_PER_PART)));
  const calls: KernelCall[] = [];
  for (let k0 = 0, i = 0; k0 < outer; k0 += step, i++) {
    const desc = backend.workspace(SLOT.layoutRecord, 16 * rank, i);
    const shape = [Math.min(step, outer - k0), ...plan.shape.slice(1)];
    backend.heap.i32.set([...shape, ...plan.src, ...plan.dst], desc / 4);
    calls.push({
      fn: 'copyStrided',
      args: [
        src + k0 * plan.src[0]! * elementBytes,
        dst + k0 * plan.dst[0]! * elementBytes,
        desc,
        rank,
        elementBytes,
      ],
    });
  }
  backend.parallel(calls);
}

/** Byte pointer of element `offset` of a tensor. */
function at(backend: WasmBackend, t: TensorInfo, offset: number): number {
  return backend.ptr(t) + offset * bytesPerElement(t.dtype);
}

/** Bit pattern of `value` stored as one element of `dtype` (bool: 0 or 1), as (low, high) words. */
export function elementBits(value: number, dtype: DType): [number, number] {
  const one = makeTypedArray(dtype, 1);
  one[0] = dtype === 'bool' ? (value ? 1 : 0) : value;
  const bytes = new Uint8Array(8);
  bytes.set(new Uint8Array(one.buffer, 0, one.byteLength));
  const words = new Int32Array(bytes.buffer);
  return [words[0]!, words[1]!];
}

/** Fills a tensor with `value` (as its dtype stores it). */
export function fillTensor(backend: WasmBackend, t: TensorInfo, value: number): void {
  const [lo, hi] = elementBits(value, t.dtype);
  const n = sizeFromShape(t.shape);
  if (n > 0) backend.kernels.fillElements(backend.ptr(t), n, bytesPerElement(t.dtype), lo, hi);
}

/** Smallest sides for which the tiled transpose beats a plain strided copy. */
const MIN_TILE_SIDE = 4;

/**
 * Transpose. After planning, when the output's innermost dimension is also contiguous in x
 * the copy moves whole rows; otherwise the two contiguous dimensions (x's, A, and the
 * output's, B) form planes transposed in tiles, looping over the other dimensions.
 */
const Transpose: WasmKernel<{ perm: number[] }> = ({
  inputs: [x],
  attrs: { perm },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  const eb = bytesPerElement(x!.dtype);
  const inStrides = stridesOf(x!.shape);
  const plan = planStrided(
    spec!.shape,
    perm.map((p) => inStrides[p]!),
    stridesOf(spec!.shape),
  );
  if (!plan) return out;
  const r = plan.shape.length;
  const a = plan.src.indexOf(1);
  const A = plan.shape[a] ?? 0;
  const B = plan.shape[r - 1]!;
  if (a < 0 || a === r - 1 || A < MIN_TILE_SIDE || B < MIN_TILE_SIDE) {
    runStrided(backend, plan, backend.ptr(x!), backend.ptr(out), eb);
    return out;
  }
  const others = plan.shape.map((_, d) => d).filter((d) => d !== a && d !== r - 1);
  const sb = plan.src[r - 1]!;
  const outer = [
    ...others.map((d) => plan.shape[d]!),
    ...others.map((d) => plan.src[d]!),
    ...others.map((d) => plan.dst[d]!),
  ];
  // Threads take ranges of B (columns of the output's rows): disjoint outputs.
  const bytes = sizeFromShape(plan.shape) * eb;
  const step = Math.ceil(B / Math.min(B, backend.partsFor(bytes, MIN_BYTES_PER_PART)));
  const calls: KernelCall[] = [];
  for (let b0 = 0, i = 0; b0 < B; b0 += step, i++) {
    const record = [A, Math.min(step, B - b0), sb, plan.dst[a]!, ...outer];
    const desc = backend.workspace(SLOT.layoutRecord, 4 * (record.length + others.length), i);
    backend.heap.i32.set(record, desc / 4);
    calls.push({
      fn: 'transposeTiled',
      args: [backend.ptr(x!) + b0 * sb * eb, backend.ptr(out) + b0 * eb, desc, others.length, eb],
    });
  }
  backend.parallel(calls);
  return out;
};

/** x[begin + k·steps] for every index k of the output (Slice: steps 1; StridedSlice: any non-zero). */
function sliceInto(
  backend: WasmBackend,
  x: TensorInfo,
  begin: readonly number[],
  steps: readonly number[] | undefined,
  out: TensorInfo,
): TensorInfo {
  const inStrides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * inStrides[i]!, 0);
  const plan = planStrided(
    out.shape,
    inStrides.map((s, i) => s * (steps?.[i] ?? 1)),
    stridesOf(out.shape),
  );
  if (plan)
    runStrided(backend, plan, at(backend, x, offset), backend.ptr(out), bytesPerElement(x.dtype));
  return out;
}

const Slice: WasmKernel<{ begin: number[] }> = ({
  inputs: [x],
  attrs: { begin },
  outputs: [spec],
  backend,
}) => sliceInto(backend, x!, begin, undefined, backend.output(spec!));

const StridedSlice: WasmKernel<{ begin: number[]; strides: number[] }> = ({
  inputs: [x],
  attrs: { begin, strides },
  outputs: [spec],
  backend,
}) => sliceInto(backend, x!, begin, strides, backend.output(spec!));

/** Reverse: a copy that walks the reversed axes backwards from their last element. */
const Reverse: WasmKernel<{ axes: number[] }> = ({
  inputs: [x],
  attrs: { axes },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  const shape = x!.shape;
  const strides = stridesOf(shape);
  let offset = 0;
  const src = strides.map((s, i) => {
    if (!axes.includes(i)) return s;
    offset += (shape[i]! - 1) * s;
    return -s;
  });
  const plan = planStrided(shape, src, strides);
  if (plan)
    runStrided(backend, plan, at(backend, x!, offset), backend.ptr(out), bytesPerElement(x!.dtype));
  return out;
};

/** Pad: the output filled with the constant, then x copied into its interior. */
const Pad: WasmKernel<{ paddings: [number, number][]; constantValue: number }> = ({
  inputs: [x],
  attrs: { paddings, constantValue },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  fillTensor(backend, out, constantValue);
  const outStrides = stridesOf(spec!.shape);
  const offset = paddings.reduce((acc, p, i) => acc + p[0] * outStrides[i]!, 0);
  const plan = planStrided(x!.shape, stridesOf(x!.shape), outStrides);
  runStrided(backend, plan, backend.ptr(x!), at(backend, out, offset), bytesPerElement(x!.dtype));
  return out;
};

/**
 * Tile: output dimension d of size reps_d·n_d viewed as [reps_d, n_d]; x is read with
 * stride 0 along the repetitions.
 */
const Tile: WasmKernel<{ reps: number[] }> = ({
  inputs: [x],
  attrs: { reps },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  const shape = x!.shape;
  const inStrides = stridesOf(shape);
  const outStrides = stridesOf(spec!.shape);
  const plan = planStrided(
    shape.flatMap((n, d) => [reps[d]!, n]),
    inStrides.flatMap((s) => [0, s]),
    outStrides.flatMap((s, d) => [s * shape[d]!, s]),
  );
  runStrided(backend, plan, backend.ptr(x!), backend.ptr(out), bytesPerElement(x!.dtype));
  return out;
};

/** BroadcastTo: x read with stride 0 along broadcast dimensions. */
const BroadcastTo: WasmKernel = ({ inputs: [x], outputs: [spec], backend }) => {
  const out = backend.output(spec!);
  const plan = planStrided(
    spec!.shape,
    broadcastStrides(x!.shape, spec!.shape),
    stridesOf(spec!.shape),
  );
  runStrided(backend, plan, backend.ptr(x!), backend.ptr(out), bytesPerElement(x!.dtype));
  return out;
};

/** Byte pointers and [outer, row·inner] plans of the pieces of a concat/split along `axis`. */
function pieces(
  whole: Shape,
  parts: readonly Shape[],
  axis: number,
): { plan: StridedPlan | null; offset: number }[] {
  const outer = sizeFromShape(whole.slice(0, axis));
  const inner = sizeFromShape(whole.slice(axis + 1));
  const wholeRow = whole[axis]! * inner;
  let offset = 0;
  return parts.map((shape) => {
    const row = shape[axis]! * inner;
    const piece = { plan: planStrided([outer, row], [row, 1], [wholeRow, 1]), offset };
    offset += row;
    return piece;
  });
}

const Concat: WasmKernel<{ axis: number }> = ({
  inputs,
  attrs: { axis },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  const eb = bytesPerElement(spec!.dtype);
  pieces(
    spec!.shape,
    inputs.map((t) => t.shape),
    axis,
  ).forEach(({ plan, offset }, i) => {
    // A piece's plan maps its rows (src) into the output's (dst).
    runStrided(backend, plan, backend.ptr(inputs[i]!), at(backend, out, offset), eb);
  });
  return out;
};

const Split: WasmKernel<{ axis: number }> = ({
  inputs: [x],
  attrs: { axis },
  outputs,
  backend,
}) => {
  const outs = outputs.map((spec) => backend.output(spec));
  const eb = bytesPerElement(x!.dtype);
  pieces(
    x!.shape,
    outputs.map((s) => s.shape),
    axis,
  ).forEach(({ plan, offset }, i) => {
    const inverse = plan && { shape: plan.shape, src: plan.dst, dst: plan.src };
    runStrided(backend, inverse, at(backend, x!, offset), backend.ptr(outs[i]!), eb);
  });
  return outs;
};

/** Layout kernels, every dtype. */
export const layoutKernels: Record<string, WasmKernel> = {
  Transpose,
  Slice,
  StridedSlice,
  Reverse,
  Pad,
  Tile,
  BroadcastTo,
  Concat,
  Split,
};
