import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { PadSpec } from '../geometry.js';
import { floatTensors } from '../util.js';
import { CONV2D, DEPTHWISE_CONV2D, convForward } from './conv-common.js';
import { convAttrs, prepareInput } from './conv-public.js';

/**
 * Separable 2-D convolution (tfjs's separableConv2d): a depthwise convolution with
 * `depthwiseFilter` [filterHeight, filterWidth, inChannels, channelMultiplier] followed by a
 * 1×1 convolution with `pointwiseFilter` [1, 1, inChannels·channelMultiplier, outChannels].
 *
 * @example
 * ```ts
 * const x = range(1, 9).reshape([1, 2, 2, 2]);
 * const depthwise = ones([2, 2, 2, 1]); // per-channel sums: 16 and 20
 * const pointwise = tensor([1, -1], [1, 1, 2, 1]); // then 16 - 20
 * separableConv2d(x, depthwise, pointwise, 1, 'valid').print(); // [[[[-4]]]]
 * ```
 */
export function separableConv2d(
  x: Arg,
  depthwiseFilter: Arg,
  pointwiseFilter: Arg,
  strides: number | readonly [number, number],
  pad: PadSpec,
  dilation: number | readonly [number, number] = [1, 1],
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Tensor {
  const op = 'separableConv2d';
  const [, [xt, dw, pw]] = floatTensors(op, [
    [x, 'x'],
    [depthwiseFilter, 'depthwiseFilter'],
    [pointwiseFilter, 'pointwiseFilter'],
  ]);
  if (dw!.rank !== 4) {
    throw new ShapeError(
      `${op}: depthwiseFilter must be of rank 4 ([filterHeight, filterWidth, inChannels, channelMultiplier]), got rank ${dw!.rank} (shape ${fmtShape(dw!.shape)})`,
    );
  }
  const mid = dw!.shape[2]! * dw!.shape[3]!;
  if (pw!.rank !== 4 || pw!.shape[0] !== 1 || pw!.shape[1] !== 1 || pw!.shape[2] !== mid) {
    throw new ShapeError(
      `${op}: pointwiseFilter ${fmtShape(pw!.shape)} must have shape [1, 1, ${mid}, outChannels] ` +
        `(${mid} = inChannels·channelMultiplier of depthwiseFilter ${fmtShape(dw!.shape)})`,
    );
  }
  const attrs = convAttrs(op, 2, strides, pad, dilation, undefined, dataFormat);
  const p = prepareInput(op, xt!, 2, dataFormat, { count: dw!.shape[2]!, filter: dw!, dim: 2 });
  const depthwise = convForward(DEPTHWISE_CONV2D, p.x, dw!, attrs);
  const pointwise = convForward(CONV2D, depthwise, pw!, {
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
  });
  return p.restore(pointwise);
}
