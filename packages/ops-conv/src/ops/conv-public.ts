/**
 * The normalization done by the public convolution functions, so the primitives stay few:
 * arguments to float tensors of one dtype, one example → a batch of one, channels-first →
 * channels-last (transposes around the primitive), strides/dilations to lists, explicit
 * padding to the channels-last layout. Errors name the public op and the user's shapes.
 */
import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { ConvAttrs, DimRoundingMode, PadSpec } from '../geometry.js';
import { spatialList, validateRounding } from '../geometry.js';
import {
  addBatch,
  channelsFirst,
  dropBatch,
  floatTensors,
  padToChannelsLast,
  toChannelsFirst,
  toChannelsLast,
  unbatched,
} from '../util.js';
import type { ConvFamily } from './conv-common.js';
import { convForward } from './conv-common.js';

/** Spatial dimension names for messages: 'height, width' or 'depth, height, width'. */
export function spatialNames(spatial: number): string {
  return spatial === 3 ? 'depth, height, width' : spatial === 2 ? 'height, width' : 'width';
}

export function layoutForms(spatial: number): { last: string; first: string } {
  if (spatial === 1) return { last: 'NWC', first: 'NCW' };
  return spatial === 3 ? { last: 'NDHWC', first: 'NCDHW' } : { last: 'NHWC', first: 'NCHW' };
}

function layoutText(format: string): string {
  const dims: Record<string, string> = {
    N: 'batch',
    D: 'depth',
    H: 'height',
    W: 'width',
    C: 'channels',
  };
  return `(${format}: [${[...format].map((c) => dims[c]).join(', ')}])`;
}

/** A data argument prepared for a channels-last batched primitive, and how to undo it. */
export interface Prepared {
  x: Tensor;
  /** Undoes the layout changes on the primitive's output. */
  restore(y: Tensor): Tensor;
}

/**
 * Brings `x` (in `dataFormat`, batched or not) to a channels-last batch, checking that its
 * channel count equals `channels` (the filter's inChannels) when given.
 */
export function prepareInput(
  op: string,
  x: Tensor,
  spatial: number,
  dataFormat: string,
  channels?: { count: number; filter: Tensor; dim: number },
): Prepared {
  const { last, first } = layoutForms(spatial);
  const cf = channelsFirst(op, dataFormat, last, first);
  const single = unbatched(op, 'x', x, spatial + 2, layoutText(cf ? first : last));
  if (channels) {
    const axis = cf ? (single ? 0 : 1) : x.rank - 1;
    const c = x.shape[axis]!;
    if (c !== channels.count) {
      throw new ShapeError(
        `${op}: x ${fmtShape(x.shape)} has ${c} input channels (dimension ${axis} in ${cf ? first : last}) but filter ` +
          `${fmtShape(channels.filter.shape)} expects ${channels.count} (its dimension ${channels.dim}); they must match`,
      );
    }
  }
  let t = single ? addBatch(x) : x;
  if (cf) t = toChannelsLast(t);
  return {
    x: t,
    restore(y) {
      let out = cf ? toChannelsFirst(y) : y;
      if (single) out = dropBatch(out);
      return out;
    },
  };
}

/** Builds the channels-last attributes of a convolution from the public arguments. */
export function convAttrs(
  op: string,
  spatial: number,
  strides: unknown,
  pad: PadSpec,
  dilations: unknown,
  dimRoundingMode: DimRoundingMode | undefined,
  dataFormat: string,
): ConvAttrs {
  const { first } = layoutForms(spatial);
  const names = spatialNames(spatial);
  const attrs: ConvAttrs = {
    strides: spatialList(op, 'strides', strides, spatial, names),
    pad: padToChannelsLast(op, pad, spatial, dataFormat === first),
    dilations: spatialList(op, 'dilations', dilations, spatial, names),
  };
  validateRounding(op, dimRoundingMode, pad);
  if (dimRoundingMode !== undefined && dimRoundingMode !== null)
    attrs.dimRoundingMode = dimRoundingMode;
  return attrs;
}

/** conv2d, conv3d and depthwiseConv2d: normalize, run the primitive, restore the layout. */
export function convPublic(
  fam: ConvFamily,
  x: Arg,
  filter: Arg,
  strides: unknown,
  pad: PadSpec,
  dataFormat: string,
  dilations: unknown,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = fam.op;
  const [, [xt, f]] = floatTensors(op, [
    [x, 'x'],
    [filter, 'filter'],
  ]);
  const r = fam.spatial;
  const { last, first } = layoutForms(r);
  channelsFirst(op, dataFormat, last, first);
  if (f!.rank !== r + 2) {
    throw new ShapeError(
      `${op}: filter must be of rank ${r + 2} ` +
        (fam.depthwise
          ? '([filterHeight, filterWidth, inChannels, channelMultiplier])'
          : r === 3
            ? '([filterDepth, filterHeight, filterWidth, inChannels, outChannels])'
            : '([filterHeight, filterWidth, inChannels, outChannels])') +
        `, got rank ${f!.rank} (shape ${fmtShape(f!.shape)})`,
    );
  }
  const attrs = convAttrs(op, r, strides, pad, dilations, dimRoundingMode, dataFormat);
  const p = prepareInput(op, xt!, r, dataFormat, { count: f!.shape[r]!, filter: f!, dim: r });
  return p.restore(convForward(fam, p.x, f!, attrs));
}
