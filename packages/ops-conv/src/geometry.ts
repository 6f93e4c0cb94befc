/**
 * Geometry of convolutions and pooling windows (tfjs's computeConv2DInfo /
 * computeConv3DInfo): output sizes and the padding before each spatial dimension,
 * for 'valid', 'same', a number, or explicit padding, with tfjs's rounding modes.
 *
 * Shared by the op definitions (shape inference) and by the kernels of every backend,
 * so all of them agree on where each window starts.
 */
import { ArgumentError, ShapeError, fmtShape } from '@tapegrad/core';

export type DimRoundingMode = 'floor' | 'round' | 'ceil';

/**
 * Explicit padding: one [before, after] pair per dimension of the input in its data
 * format, the batch and channel pairs [0, 0] (NHWC: [[0,0],[top,bottom],[left,right],[0,0]]).
 */
export type ExplicitPadding = readonly (readonly number[])[];

/** Padding of a convolution or pooling window. */
export type PadSpec = 'valid' | 'same' | number | ExplicitPadding;

/** Attributes shared by every convolution primitive (channels-last layout). */
export interface ConvAttrs {
  /** One stride per spatial dimension. */
  strides: number[];
  /** Padding; explicit padding is given in the channels-last layout (NHWC / NDHWC). */
  pad: PadSpec;
  /** One dilation per spatial dimension. */
  dilations: number[];
  dimRoundingMode?: DimRoundingMode;
}

/** Attributes shared by every pooling primitive (channels-last layout). */
export interface PoolAttrs {
  /** Window size per spatial dimension. */
  filterSize: number[];
  strides: number[];
  pad: PadSpec;
  dimRoundingMode?: DimRoundingMode;
}

export interface Geometry {
  /** Output size per spatial dimension. */
  outSize: number[];
  /** Padding before each spatial dimension (top, left, ...): where window 0 starts is −padBefore. */
  padBefore: number[];
  /** Nominal padding after each spatial dimension (bottom, right, ...). */
  padAfter: number[];
  /** Filter size per spatial dimension with dilation: (f − 1)·d + 1. */
  effectiveFilterSize: number[];
}

const ROUNDING = ['floor', 'round', 'ceil'];

/** Whether `pad` is explicit padding (an array of pairs). */
export function isExplicitPadding(pad: unknown): pad is ExplicitPadding {
  return Array.isArray(pad);
}

/** Formats a pad argument for error messages. */
export function fmtPad(pad: unknown): string {
  if (typeof pad === 'string') return `'${pad}'`;
  if (Array.isArray(pad)) {
    return `[${pad.map((p) => (Array.isArray(p) ? `[${p.map(String).join(',')}]` : String(p))).join(',')}]`;
  }
  return String(pad);
}

/** The layout word of explicit padding with `spatial` spatial dimensions (for messages). */
export function explicitPadForm(spatial: number, channelsFirst = false): string {
  const names =
    spatial === 3
      ? ['front,back', 'top,bottom', 'left,right']
      : spatial === 2
        ? ['top,bottom', 'left,right']
        : ['left,right'];
  const inner = names.map((n) => `[${n}]`);
  const pairs = channelsFirst ? ['[0,0]', '[0,0]', ...inner] : ['[0,0]', ...inner, '[0,0]'];
  return `[${pairs.join(',')}]`;
}

/**
 * Validates a pad argument: 'valid', 'same', a non-negative integer, or explicit padding
 * with `spatial + 2` pairs whose batch and channel pairs are zero (at `channelAxis`).
 * Throws an ArgumentError naming the op and the valid forms.
 */
export function validatePad(
  op: string,
  pad: unknown,
  spatial: number,
  channelsFirst = false,
): void {
  const valid =
    `pad must be 'valid', 'same', a non-negative integer, or explicit padding ` +
    `${explicitPadForm(spatial, channelsFirst)} of non-negative integers`;
  if (pad === 'valid' || pad === 'same') return;
  if (typeof pad === 'number') {
    if (Number.isInteger(pad) && pad >= 0) return;
    throw new ArgumentError(`${op}: ${valid}; got ${fmtPad(pad)}`);
  }
  if (!isExplicitPadding(pad)) throw new ArgumentError(`${op}: ${valid}; got ${fmtPad(pad)}`);
  const ok =
    pad.length === spatial + 2 &&
    pad.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
    );
  if (!ok) throw new ArgumentError(`${op}: ${valid}; got ${fmtPad(pad)}`);
  const batch = pad[0]!;
  const channel = channelsFirst ? pad[1]! : pad[spatial + 1]!;
  if (batch[0] !== 0 || batch[1] !== 0 || channel[0] !== 0 || channel[1] !== 0) {
    throw new ArgumentError(
      `${op}: explicit padding ${fmtPad(pad)} may not pad the batch or channel dimension ` +
        `(expected ${explicitPadForm(spatial, channelsFirst)})`,
    );
  }
}

/** Validates a dimRoundingMode (tfjs: only with a numeric or explicit pad). */
export function validateRounding(op: string, mode: unknown, pad: unknown): void {
  if (mode === undefined || mode === null) return;
  if (typeof mode !== 'string' || !ROUNDING.includes(mode)) {
    throw new ArgumentError(
      `${op}: dimRoundingMode must be 'floor', 'round' or 'ceil', got ${fmtPad(mode)}`,
    );
  }
  if (typeof pad === 'string') {
    throw new ArgumentError(
      `${op}: pad must be an integer or explicit padding when using dimRoundingMode '${mode}', but got pad ${fmtPad(pad)}`,
    );
  }
}

/**
 * A spatial attribute (strides, dilations, filterSize): a positive integer for every
 * spatial dimension, or a list of `spatial` positive integers.
 */
export function spatialList(
  op: string,
  arg: string,
  v: unknown,
  spatial: number,
  names: string,
): number[] {
  const list = typeof v === 'number' ? new Array<number>(spatial).fill(v) : v;
  if (
    !Array.isArray(list) ||
    list.length !== spatial ||
    !list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)
  ) {
    throw new ArgumentError(
      `${op}: ${arg} must be a positive integer or ${spatial} positive integers [${names}], got ${fmtPad(v)}`,
    );
  }
  return [...(list as number[])];
}

/** tfjs forbids strides > 1 together with dilations > 1. */
export function assertStridesOrDilationsOne(
  op: string,
  strides: readonly number[],
  dilations: readonly number[],
): void {
  if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) {
    throw new ArgumentError(
      `${op}: strides ${fmtShape(strides)} and dilations ${fmtShape(dilations)} cannot both be greater than 1 ` +
        `(either strides or dilations must be 1, as in tfjs and TensorFlow)`,
    );
  }
}

function round(value: number, mode: DimRoundingMode | undefined): number {
  switch (mode) {
    case 'round':
      return Math.round(value);
    case 'ceil':
      return Math.ceil(value);
    case 'floor':
      return Math.floor(value);
    default:
      return Math.trunc(value);
  }
}

/**
 * Output size and padding of a window of `filterSize` (dilated by `dilations`) slid over
 * `inSize` with `strides` and `pad` (explicit padding in the channels-last layout).
 * Validates every argument and throws errors naming `op`.
 *
 * @example
 * ```ts
 * const g = computeGeometry('conv2d', [5, 5], [3, 3], [2, 2], [1, 1], 'same');
 * console.log(g.outSize); // [3, 3]
 * console.log(g.padBefore); // [1, 1]
 * ```
 */
export function computeGeometry(
  op: string,
  inSize: readonly number[],
  filterSize: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  pad: PadSpec,
  dimRoundingMode?: DimRoundingMode,
): Geometry {
  const r = inSize.length;
  const names = r === 3 ? 'depth, height, width' : r === 2 ? 'height, width' : 'width';
  spatialList(op, 'strides', strides, r, names);
  spatialList(op, 'dilations', dilations, r, names);
  validatePad(op, pad, r);
  validateRounding(op, dimRoundingMode, pad);
  const eff = filterSize.map((f, i) => (f - 1) * dilations[i]! + 1);
  const outSize: number[] = [];
  const padBefore: number[] = [];
  const padAfter: number[] = [];
  for (let i = 0; i < r; i++) {
    const n = inSize[i]!;
    const f = eff[i]!;
    const s = strides[i]!;
    if (pad === 'same') {
      const out = Math.ceil(n / s);
      const total = Math.max(0, (out - 1) * s + f - n);
      outSize.push(out);
      padBefore.push(Math.floor(total / 2));
      padAfter.push(total - Math.floor(total / 2));
    } else if (pad === 'valid') {
      outSize.push(Math.ceil((n - f + 1) / s));
      padBefore.push(0);
      padAfter.push(0);
    } else {
      const [before, after] =
        typeof pad === 'number' ? [pad, pad] : [pad[i + 1]![0]!, pad[i + 1]![1]!];
      outSize.push(round((n + before + after - f) / s + 1, dimRoundingMode));
      padBefore.push(before);
      padAfter.push(after);
    }
  }
  if (outSize.some((d) => !(d > 0)) && !inSize.some((d) => d === 0)) {
    throw new ShapeError(
      `${op}: the output would have spatial size ${fmtShape(outSize)}: the window ${fmtShape(eff)}` +
        (dilations.some((d) => d > 1)
          ? ` (filter ${fmtShape(filterSize)} dilated by ${fmtShape(dilations)})`
          : '') +
        ` does not fit the input ${fmtShape(inSize)} with pad ${fmtPad(pad)}` +
        ` (every output dimension must be at least 1; use pad 'same' or a smaller filter)`,
    );
  }
  return {
    outSize: outSize.map((d) => Math.max(d, 0)),
    padBefore,
    padAfter,
    effectiveFilterSize: eff,
  };
}

/** Attributes of a sliding window: a convolution's (with dilations) or a pooling's. */
export interface WindowAttrs {
  strides: readonly number[];
  /** One dilation per spatial dimension (default 1). */
  dilations?: readonly number[];
  pad: PadSpec;
  dimRoundingMode?: DimRoundingMode;
}

/**
 * A window slid over a channels-last input, in 3-D (a 2-D op has depth 1 and no padding
 * there), as backends' conv and pooling kernels take it.
 */
export interface Window3D {
  /** Batch size and channels. */
  n: number;
  c: number;
  /** Input depth, height, width. */
  id: number;
  ih: number;
  iw: number;
  /** Output depth, height, width. */
  od: number;
  oh: number;
  ow: number;
  /** Filter (window) depth, height, width. */
  fd: number;
  fh: number;
  fw: number;
  /** Strides. */
  sd: number;
  sh: number;
  sw: number;
  /** Dilations. */
  dd: number;
  dh: number;
  dw: number;
  /** Padding before each spatial dimension (front, top, left). */
  pd: number;
  pt: number;
  pl: number;
}

/** The fields of `Window3D` in the order the backends' kernels read them as 20 integers. */
export const WINDOW_FIELDS = [
  'n',
  'id',
  'ih',
  'iw',
  'c',
  'od',
  'oh',
  'ow',
  'fd',
  'fh',
  'fw',
  'sd',
  'sh',
  'sw',
  'dd',
  'dh',
  'dw',
  'pd',
  'pt',
  'pl',
] as const satisfies readonly (keyof Window3D)[];

/**
 * The 3-D geometry of sliding a window of `filterSize` over a channels-last input of
 * `xShape` (rank 4 or 5), by `computeGeometry`'s rules (so every backend agrees with the
 * ops' shape inference on where each window starts); validates and names `op` in errors.
 *
 * @example
 * ```ts
 * const g = windowGeometry3D('maxPool', [1, 4, 4, 3], [2, 2], { strides: [2, 2], pad: 'valid' });
 * console.log([g.od, g.oh, g.ow, g.c]); // [1, 2, 2, 3]
 * ```
 */
export function windowGeometry3D(
  op: string,
  xShape: readonly number[],
  filterSize: readonly number[],
  attrs: WindowAttrs,
): Window3D {
  const r = xShape.length - 2;
  const dilations = attrs.dilations ?? new Array<number>(r).fill(1);
  const inSize = xShape.slice(1, r + 1);
  const g = computeGeometry(
    op,
    inSize,
    filterSize,
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // The missing leading spatial dimensions (depth of a 2-D op) have size 1 and no padding.
  const to3 = (list: readonly number[], fill: number): number[] => [
    ...new Array<number>(3 - r).fill(fill),
    ...list,
  ];
  const [id, ih, iw] = to3(inSize, 1);
  const [od, oh, ow] = to3(g.outSize, 1);
  const [fd, fh, fw] = to3(filterSize, 1);
  const [sd, sh, sw] = to3(attrs.strides, 1);
  const [dd, dh, dw] = to3(dilations, 1);
  const [pd, pt, pl] = to3(g.padBefore, 0);
  return {
    n: xShape[0]!,
    c: xShape[r + 1]!,
    id: id!,
    ih: ih!,
    iw: iw!,
    od: od!,
    oh: oh!,
    ow: ow!,
    fd: fd!,
    fh: fh!,
    fw: fw!,
    sd: sd!,
    sh: sh!,
    sw: sw!,
    dd: dd!,
    dh: dh!,
    dw: dw!,
    pd: pd!,
    pt: pt!,
    pl: pl!,
  };
}

/**
 * Whether a window is 1×1×1 with unit strides and no padding, so that the input itself is
 * the im2col matrix (a convolution is then a plain matrix product).
 *
 * @example
 * ```ts
 * const g = windowGeometry3D('conv2d', [1, 4, 4, 3], [1, 1], { strides: [1, 1], pad: 'valid' });
 * console.log(isPointwiseWindow(g)); // true
 * ```
 */
export function isPointwiseWindow(g: Window3D): boolean {
  return (
    g.fd === 1 &&
    g.fh === 1 &&
    g.fw === 1 &&
    g.sd === 1 &&
    g.sh === 1 &&
    g.sw === 1 &&
    g.pd === 0 &&
    g.pt === 0 &&
    g.pl === 0 &&
    g.od === g.id &&
    g.oh === g.ih &&
    g.ow === g.iw
  );
}
