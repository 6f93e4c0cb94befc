import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import { reshape } from '@tapegrad/ops-math';
import type { DimRoundingMode, ExplicitPadding, PadSpec } from '../geometry.js';
import {
  assertStridesOrDilationsOne,
  computeGeometry,
  isExplicitPadding,
  spatialList,
  validateRounding,
} from '../geometry.js';
import { floatTensors, padToChannelsLast } from '../util.js';
import { CONV2D, convForward } from './conv-common.js';
import { prepareInput } from './conv-public.js';

/**
 * 1-D convolution (tfjs's conv1d): x [batch, width, inChannels] (or [width, inChannels];
 * NCW with `dataFormat`), filter [filterWidth, inChannels, outChannels]. Runs as a conv2d
 * of height 1 (x and filter get a dimension of size 1; padding applies to the width only).
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4], [1, 4, 1]); // [batch, width, inChannels]
 * const filter = tensor([1, 1], [2, 1, 1]); // [width, inChannels, outChannels]
 * conv1d(x, filter, 1, 'valid').print(); // [[[3], [5], [7]]]
 * ```
 */
export function conv1d(
  x: Arg,
  filter: Arg,
  stride: number,
  pad: PadSpec,
  dataFormat: 'NWC' | 'NCW' = 'NWC',
  dilation = 1,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'conv1d';
  const [, [xt, f]] = floatTensors(op, [
    [x, 'x'],
    [filter, 'filter'],
  ]);
  if (f!.rank !== 3) {
    throw new ShapeError(
      `${op}: filter must be of rank 3 ([filterWidth, inChannels, outChannels]), got rank ${f!.rank} (shape ${fmtShape(f!.shape)})`,
    );
  }
  const strides = spatialList(op, 'stride', stride, 1, 'width');
  const dilations = spatialList(op, 'dilation', dilation, 1, 'width');
  const padCL = padToChannelsLast(op, pad, 1, dataFormat === 'NCW');
  validateRounding(op, dimRoundingMode, pad);
  const p = prepareInput(op, xt!, 1, dataFormat, { count: f!.shape[1]!, filter: f!, dim: 1 });
  const [n, w, c] = p.x.shape as [number, number, number];
  computeGeometry(op, [w], [f!.shape[0]!], strides, dilations, padCL, dimRoundingMode);
  assertStridesOrDilationsOne(op, strides, dilations);
  // Height 1: pad only the width.
  const pad2: PadSpec =
    typeof padCL === 'number'
      ? [
          [0, 0],
          [0, 0],
          [padCL, padCL],
          [0, 0],
        ]
      : isExplicitPadding(padCL)
        ? ([[0, 0], [0, 0], [...padCL[1]!], [0, 0]] as ExplicitPadding)
        : padCL;
  const y = convForward(CONV2D, reshape(p.x, [n, 1, w, c]), reshape(f!, [1, ...f!.shape]), {
    strides: [1, strides[0]!],
    pad: pad2,
    dilations: [1, dilations[0]!],
    ...(dimRoundingMode ? { dimRoundingMode } : {}),
  });
  return p.restore(reshape(y, [n, y.shape[2]!, y.shape[3]!]));
}
