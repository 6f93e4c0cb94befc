/**
 * Shape rules and gradient building blocks shared by the convolution primitives
 * (Conv2D, Conv3D, DepthwiseConv2D and their backprops). All primitives are channels-last
 * (NHWC / NDHWC) and batched; the public functions normalize to that.
 *
 * A convolution y = conv(x, w) is bilinear, and its two backprops are its adjoints:
 *   backpropInput(dy, w) = ∂⟨dy, conv(x, w)⟩/∂x,   backpropFilter(x, dy) = ∂⟨dy, conv(x, w)⟩/∂w.
 * So the three ops differentiate into each other, to any order.
 */
import type { InputSpec, Shape, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape, shapesEqual } from '@tapegrad/core';
import type { ConvAttrs } from '../geometry.js';
import { assertStridesOrDilationsOne, computeGeometry, fmtPad } from '../geometry.js';
import { assertFloatPair, assertRank, convAttrsOf, run, shapeAttr } from '../util.js';

export type { ConvAttrs } from '../geometry.js';

export interface ConvBackpropInputAttrs extends ConvAttrs {
  /** Shape of the convolution's input x (the output of this op). */
  inputShape: number[];
}

export interface ConvBackpropFilterAttrs extends ConvAttrs {
  /** Shape of the convolution's filter (the output of this op). */
  filterShape: number[];
}

/** A convolution family: its spatial rank, channel rule and the names of its three primitives. */
export interface ConvFamily {
  /** The public op name (error messages). */
  readonly op: string;
  readonly spatial: 2 | 3;
  /** Depthwise: filter [fh, fw, inChannels, multiplier], output channels inChannels·multiplier. */
  readonly depthwise: boolean;
  readonly forward: string;
  readonly backpropInput: string;
  readonly backpropFilter: string;
}

export const CONV2D: ConvFamily = {
  op: 'conv2d',
  spatial: 2,
  depthwise: false,
  forward: 'Conv2D',
  backpropInput: 'Conv2DBackpropInput',
  backpropFilter: 'Conv2DBackpropFilter',
};

export const CONV3D: ConvFamily = {
  op: 'conv3d',
  spatial: 3,
  depthwise: false,
  forward: 'Conv3D',
  backpropInput: 'Conv3DBackpropInput',
  backpropFilter: 'Conv3DBackpropFilter',
};

export const DEPTHWISE_CONV2D: ConvFamily = {
  op: 'depthwiseConv2d',
  spatial: 2,
  depthwise: true,
  forward: 'DepthwiseConv2D',
  backpropInput: 'DepthwiseConv2DBackpropInput',
  backpropFilter: 'DepthwiseConv2DBackpropFilter',
};

function inputForm(fam: ConvFamily): string {
  return fam.spatial === 3
    ? '(NDHWC: [batch, depth, height, width, inChannels])'
    : '(NHWC: [batch, height, width, inChannels])';
}

function filterForm(fam: ConvFamily): string {
  if (fam.depthwise) return '([filterHeight, filterWidth, inChannels, channelMultiplier])';
  return fam.spatial === 3
    ? '([filterDepth, filterHeight, filterWidth, inChannels, outChannels])'
    : '([filterHeight, filterWidth, inChannels, outChannels])';
}

/**
 * Output shape of a convolution of an input of `xShape` with a filter of `fShape`;
 * validates ranks, channels, strides, dilations and padding, naming `op` and `xName`.
 */
export function convOutputShape(
  fam: ConvFamily,
  op: string,
  xShape: Shape,
  fShape: Shape,
  attrs: ConvAttrs,
  xName = 'x',
): number[] {
  const r = fam.spatial;
  assertRank(op, xName, xShape, r + 2, inputForm(fam));
  assertRank(op, 'filter', fShape, r + 2, filterForm(fam));
  const cin = xShape[r + 1]!;
  const fc = fShape[r]!;
  if (cin !== fc) {
    throw new ShapeError(
      `${op}: ${xName} ${fmtShape(xShape)} has ${cin} input channels (its last dimension) but filter ${fmtShape(fShape)} ` +
        `expects ${fc} (its dimension ${r}, inChannels ${filterForm(fam)}); they must match`,
    );
  }
  if (fShape.slice(0, r).some((d) => d < 1)) {
    throw new ShapeError(
      `${op}: filter ${fmtShape(fShape)} must have spatial dimensions of at least 1`,
    );
  }
  const g = computeGeometry(
    op,
    xShape.slice(1, r + 1),
    fShape.slice(0, r),
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  assertStridesOrDilationsOne(op, attrs.strides, attrs.dilations);
  const outChannels = fam.depthwise ? fc * fShape[r + 1]! : fShape[r + 1]!;
  return [xShape[0]!, ...g.outSize, outChannels];
}

/** Shape rule of a forward convolution (inputs x, filter). */
export function forwardShape(fam: ConvFamily) {
  return ([x, f]: readonly InputSpec[], attrs: ConvAttrs): Shape => {
    assertFloatPair(fam.op, ['x', 'filter'], x!, f!);
    return convOutputShape(fam, fam.op, x!.shape, f!.shape, attrs);
  };
}

function describeAttrs(attrs: ConvAttrs): string {
  return `strides ${fmtShape(attrs.strides)}, pad ${fmtPad(attrs.pad)}, dilations ${fmtShape(attrs.dilations)}`;
}

/** Checks that `dy` has the output shape of the convolution described by the other shapes. */
function assertDyShape(
  op: string,
  dyName: string,
  dy: Shape,
  expected: Shape,
  xShape: Shape,
  fShape: Shape,
  fam: ConvFamily,
  attrs: ConvAttrs,
): void {
  if (!shapesEqual(dy, expected)) {
    throw new ShapeError(
      `${op}: ${dyName} ${fmtShape(dy)} must have shape ${fmtShape(expected)}, the output of a ${fam.op} of an input ` +
        `${fmtShape(xShape)} with a filter ${fmtShape(fShape)} (${describeAttrs(attrs)})`,
    );
  }
}

/** Shape rule of a backprop-input op (inputs dy, filter; attr inputShape). */
export function backpropInputShape(
  fam: ConvFamily,
  op = lowerFirst(fam.backpropInput),
  dyName = 'dy',
) {
  return ([dy, f]: readonly InputSpec[], attrs: ConvBackpropInputAttrs): Shape => {
    assertFloatPair(op, [dyName, 'filter'], dy!, f!);
    const inputShape = shapeAttr(op, 'inputShape', attrs.inputShape, fam.spatial + 2);
    const expected = convOutputShape(fam, op, inputShape, f!.shape, attrs, 'inputShape');
    assertDyShape(op, dyName, dy!.shape, expected, inputShape, f!.shape, fam, attrs);
    return inputShape;
  };
}

/** Shape rule of a backprop-filter op (inputs x, dy; attr filterShape). */
export function backpropFilterShape(fam: ConvFamily) {
  const op = lowerFirst(fam.backpropFilter);
  return ([x, dy]: readonly InputSpec[], attrs: ConvBackpropFilterAttrs): Shape => {
    assertFloatPair(op, ['x', 'dy'], x!, dy!);
    const filterShape = shapeAttr(op, 'filterShape', attrs.filterShape, fam.spatial + 2);
    const expected = convOutputShape(fam, op, x!.shape, filterShape, attrs);
    assertDyShape(op, 'dy', dy!.shape, expected, x!.shape, filterShape, fam, attrs);
    return filterShape;
  };
}

/** The forward convolution. */
export function convForward(fam: ConvFamily, x: Tensor, filter: Tensor, attrs: ConvAttrs): Tensor {
  return run(x.engine, fam.forward, [x, filter], convAttrsOf(attrs));
}

/** ∂⟨dy, conv(x, w)⟩/∂x for an x of `inputShape`. */
export function convBackpropInput(
  fam: ConvFamily,
  dy: Tensor,
  filter: Tensor,
  inputShape: Shape,
  attrs: ConvAttrs,
): Tensor {
  return run(dy.engine, fam.backpropInput, [dy, filter], {
    ...convAttrsOf(attrs),
    inputShape: [...inputShape],
  });
}

/** ∂⟨dy, conv(x, w)⟩/∂w for a filter of `filterShape`. */
export function convBackpropFilter(
  fam: ConvFamily,
  x: Tensor,
  dy: Tensor,
  filterShape: Shape,
  attrs: ConvAttrs,
): Tensor {
  return run(x.engine, fam.backpropFilter, [x, dy], {
    ...convAttrsOf(attrs),
    filterShape: [...filterShape],
  });
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
