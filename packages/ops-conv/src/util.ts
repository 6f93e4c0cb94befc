/** Helpers shared by the op definitions and public functions of the conv family. */
import type { DType, Engine, InputSpec, Shape, Tensor } from '@tapegrad/core';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  convertToTensor,
  engineOf,
  fmtShape,
  isFloatDtype,
  upcastType,
} from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import { cast, reshape, transpose } from '@tapegrad/ops-math';
import type { PadSpec } from './geometry.js';
import { isExplicitPadding, validatePad } from './geometry.js';

/** Runs a single-output op. */
export function run(engine: Engine, op: string, inputs: Tensor[], attrs: object = {}): Tensor {
  return engine.run(op, inputs, attrs as Record<string, unknown>) as Tensor;
}

/** Throws a DTypeError unless `dtype` is float32 or float64. */
export function assertFloat(op: string, arg: string, spec: InputSpec): void {
  if (!isFloatDtype(spec.dtype)) {
    throw new DTypeError(
      `${op}: ${arg} must be a float tensor (float32 or float64), got ${spec.dtype} (shape ${fmtShape(spec.shape)}); cast it first`,
    );
  }
}

/** Throws a DTypeError unless both inputs have the same float dtype. */
export function assertFloatPair(
  op: string,
  names: [string, string],
  a: InputSpec,
  b: InputSpec,
): void {
  assertFloat(op, names[0], a);
  assertFloat(op, names[1], b);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(
      `${op}: ${names[0]} (${a.dtype}) and ${names[1]} (${b.dtype}) must have the same dtype (the public function upcasts them)`,
    );
  }
}

/** Throws a ShapeError unless `shape` has rank `rank`. */
export function assertRank(
  op: string,
  arg: string,
  shape: Shape,
  rank: number,
  form: string,
): void {
  if (shape.length !== rank) {
    throw new ShapeError(
      `${op}: ${arg} must be of rank ${rank} ${form}, got rank ${shape.length} (shape ${fmtShape(shape)})`,
    );
  }
}

/** Validates a shape attribute (inputShape, filterShape) of a backprop op. */
export function shapeAttr(op: string, arg: string, v: unknown, rank: number): number[] {
  if (
    !Array.isArray(v) ||
    v.length !== rank ||
    !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw new ShapeError(
      `${op}: ${arg} must be a list of ${rank} non-negative integers, got ${Array.isArray(v) ? fmtShape(v as number[]) : String(v)}`,
    );
  }
  return [...(v as number[])];
}

/**
 * Converts the arguments of a conv op to float tensors of one dtype: plain arrays become
 * float32; int32 or bool tensors are a DTypeError (as in tfjs); float32 and float64 upcast.
 */
export function floatTensors(op: string, args: readonly [Arg, string][]): [Engine, Tensor[]] {
  const engine = engineOf(...args.map(([a]) => a));
  const ts = args.map(([a, name]) => {
    const t = convertToTensor(engine, a, name, op, 'float32');
    if (!isFloatDtype(t.dtype)) {
      throw new DTypeError(
        `${op}: ${name} must be a float tensor (float32 or float64), got ${t.dtype} (shape ${fmtShape(t.shape)}); cast it first`,
      );
    }
    return t;
  });
  const dt = ts.reduce<DType>((d, t) => upcastType(d, t.dtype), 'float32');
  return [engine, ts.map((t) => cast(t, dt))];
}

export type DataFormat2D = 'NHWC' | 'NCHW';
export type DataFormat3D = 'NDHWC' | 'NCDHW';

/** Validates a data format; returns whether it is channels-first. */
export function channelsFirst(op: string, format: unknown, last: string, first: string): boolean {
  if (format === last) return false;
  if (format === first) return true;
  throw new ArgumentError(
    `${op}: dataFormat must be '${last}' (the default) or '${first}', got ${String(format)}`,
  );
}

/**
 * Checks the rank of a data argument: `rank` (batched) or `rank − 1` (one example, as in tfjs).
 * Returns whether a batch dimension must be added.
 */
export function unbatched(op: string, arg: string, x: Tensor, rank: number, form: string): boolean {
  if (x.rank === rank) return false;
  if (x.rank === rank - 1) return true;
  throw new ShapeError(
    `${op}: ${arg} must be of rank ${rank} ${form} or ${rank - 1} (one example without the batch dimension), got rank ${x.rank} (shape ${fmtShape(x.shape)})`,
  );
}

/** Adds a batch dimension of 1. */
export function addBatch(x: Tensor): Tensor {
  return reshape(x, [1, ...x.shape]);
}

/** Drops the batch dimension of 1. */
export function dropBatch(x: Tensor): Tensor {
  return reshape(x, x.shape.slice(1));
}

/** Channels-first → channels-last (NCHW → NHWC, NCDHW → NDHWC). */
export function toChannelsLast(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

/** Channels-last → channels-first. */
export function toChannelsFirst(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

/** Validates `pad` in the user's layout and converts explicit padding to channels-last. */
export function padToChannelsLast(
  op: string,
  pad: PadSpec,
  spatial: number,
  first: boolean,
): PadSpec {
  validatePad(op, pad, spatial, first);
  if (!isExplicitPadding(pad)) return pad;
  const pairs = pad.map((p) => [p[0]!, p[1]!]);
  return first ? [pairs[0]!, ...pairs.slice(2), pairs[1]!] : pairs;
}

/** Copies the attribute object of a convolution primitive (dropping extra keys). */
export function convAttrsOf<
  A extends { strides: number[]; pad: PadSpec; dilations: number[]; dimRoundingMode?: unknown },
>(attrs: A): Pick<A, 'strides' | 'pad' | 'dilations' | 'dimRoundingMode'> {
  const out: Pick<A, 'strides' | 'pad' | 'dilations' | 'dimRoundingMode'> = {
    strides: attrs.strides,
    pad: attrs.pad,
    dilations: attrs.dilations,
  };
  if (attrs.dimRoundingMode !== undefined) out.dimRoundingMode = attrs.dimRoundingMode;
  return out;
}
