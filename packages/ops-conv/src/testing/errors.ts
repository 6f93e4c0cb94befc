import { ArgumentError, DTypeError, ShapeError } from '@tapegrad/core';
import type { SuiteContext } from '@tapegrad/ops-math/testing';
import { expectClose } from '@tapegrad/ops-math/testing';
import { describe, expect, it } from 'vitest';
import {
  avgPool,
  conv1d,
  conv2d,
  conv2dTranspose,
  conv3d,
  depthwiseConv2d,
  maxPool,
  separableConv2d,
} from '../index.js';
import type { PadSpec } from '../index.js';

export function errorSuite(ctx: SuiteContext): void {
  describe('errors name the op, the argument, the shapes and what is valid', () => {
    it('channel mismatch', () => {
      const x = ctx.rand([1, 4, 4, 3], 1);
      const w = ctx.rand([2, 2, 2, 1], 2);
      expect(() => conv2d(x, w, 1, 'valid')).toThrow(ShapeError);
      expect(() => conv2d(x, w, 1, 'valid')).toThrow(
        /conv2d: x \[1,4,4,3\] has 3 input channels .* filter \[2,2,2,1\] expects 2/,
      );
      expect(() => conv2d(ctx.rand([1, 3, 4, 4], 3), w, 1, 'valid', 'NCHW')).toThrow(
        /conv2d: x \[1,3,4,4\] has 3 input channels \(dimension 1 in NCHW\)/,
      );
      expect(() => depthwiseConv2d(x, w, 1, 'valid')).toThrow(
        /depthwiseConv2d: x \[1,4,4,3\] has 3 input channels/,
      );
      expect(() => conv1d(ctx.rand([5, 3], 4), ctx.rand([2, 2, 1], 5), 1, 'valid')).toThrow(
        /conv1d: x \[5,3\] has 3 input channels .* filter \[2,2,1\] expects 2/,
      );
      expect(() =>
        conv3d(ctx.rand([1, 2, 2, 2, 3], 6), ctx.rand([1, 1, 1, 2, 1], 7), 1, 'valid'),
      ).toThrow(/conv3d: x \[1,2,2,2,3\] has 3 input channels/);
      expect(() =>
        separableConv2d(x, ctx.rand([2, 2, 3, 2], 8), ctx.rand([1, 1, 5, 2], 9), 1, 'valid'),
      ).toThrow(
        /separableConv2d: pointwiseFilter \[1,1,5,2\] must have shape \[1, 1, 6, outChannels\]/,
      );
      expect(() =>
        conv2dTranspose(
          ctx.rand([1, 2, 2, 3], 10),
          ctx.rand([2, 2, 1, 2], 11),
          [1, 3, 3, 1],
          1,
          'valid',
        ),
      ).toThrow(
        /conv2dTranspose: x \[1,2,2,3\] has depth 3 .* filter \[2,2,1,2\] expects inDepth 2/,
      );
    });

    it('strides and dilations both greater than 1 (forbidden by tfjs)', () => {
      const x = ctx.rand([1, 5, 5, 1], 1);
      const w = ctx.rand([2, 2, 1, 1], 2);
      expect(() => conv2d(x, w, 2, 'valid', 'NHWC', 2)).toThrow(ArgumentError);
      expect(() => conv2d(x, w, 2, 'valid', 'NHWC', 2)).toThrow(
        /conv2d: strides \[2,2\] and dilations \[2,2\] cannot both be greater than 1/,
      );
      expect(() => depthwiseConv2d(x, w, [1, 2], 'same', 'NHWC', [2, 1])).toThrow(
        /depthwiseConv2d: strides \[1,2\] and dilations \[2,1\]/,
      );
      expect(() =>
        conv1d(ctx.rand([1, 5, 1], 3), ctx.rand([2, 1, 1], 4), 2, 'same', 'NWC', 2),
      ).toThrow(/conv1d: strides \[2\] and dilations \[2\]/);
    });

    it('bad strides, dilations and filter sizes', () => {
      const x = ctx.rand([1, 5, 5, 1], 1);
      const w = ctx.rand([2, 2, 1, 1], 2);
      expect(() => conv2d(x, w, 0, 'valid')).toThrow(
        /conv2d: strides must be a positive integer or 2 positive integers \[height, width\], got 0/,
      );
      expect(() => conv2d(x, w, [1, 1, 1] as unknown as number, 'valid')).toThrow(
        /conv2d: strides must be/,
      );
      expect(() => conv2d(x, w, 1, 'valid', 'NHWC', 1.5)).toThrow(
        /conv2d: dilations must be a positive integer/,
      );
      expect(() => maxPool(x, 0, 1, 'valid')).toThrow(
        /maxPool: filterSize must be a positive integer/,
      );
    });

    it('bad pad, explicit padding and rounding', () => {
      const x = ctx.rand([1, 5, 5, 1], 1);
      const w = ctx.rand([2, 2, 1, 1], 2);
      expect(() => conv2d(x, w, 1, 'full' as PadSpec)).toThrow(ArgumentError);
      expect(() => conv2d(x, w, 1, 'full' as PadSpec)).toThrow(
        /conv2d: pad must be 'valid', 'same', a non-negative integer, or explicit padding \[\[0,0\],\[top,bottom\],\[left,right\],\[0,0\]\]/,
      );
      expect(() => conv2d(x, w, 1, -1)).toThrow(/conv2d: pad must be .* got -1/);
      expect(() =>
        conv2d(x, w, 1, [
          [0, 0],
          [1, 1],
          [1, 1],
        ]),
      ).toThrow(/conv2d: pad must be .* got \[\[0,0\],\[1,1\],\[1,1\]\]/);
      expect(() =>
        conv2d(x, w, 1, [
          [1, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
      ).toThrow(
        /conv2d: explicit padding \[\[1,0\],\[1,1\],\[1,1\],\[0,0\]\] may not pad the batch or channel dimension/,
      );
      expect(() =>
        conv2d(
          ctx.rand([1, 1, 5, 5], 3),
          w,
          1,
          [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ],
          'NCHW',
        ),
      ).toThrow(
        /may not pad the batch or channel dimension \(expected \[\[0,0\],\[0,0\],\[top,bottom\],\[left,right\]\]\)/,
      );
      expect(() => conv2d(x, w, 1, 'same', 'NHWC', 1, 'ceil')).toThrow(
        /conv2d: pad must be an integer or explicit padding when using dimRoundingMode 'ceil', but got pad 'same'/,
      );
      expect(() => maxPool(x, 2, 1, 1, 'up' as 'ceil')).toThrow(
        /maxPool: dimRoundingMode must be 'floor', 'round' or 'ceil'/,
      );
    });

    it('an output that would be empty, bad ranks, dtypes and data formats', () => {
      const x = ctx.rand([1, 3, 3, 1], 1);
      expect(() => conv2d(x, ctx.rand([4, 4, 1, 1], 2), 1, 'valid')).toThrow(ShapeError);
      expect(() => conv2d(x, ctx.rand([4, 4, 1, 1], 2), 1, 'valid')).toThrow(
        /conv2d: the output would have spatial size \[0,0\]: the window \[4,4\] does not fit the input \[3,3\] with pad 'valid'/,
      );
      expect(() => conv2d(x, ctx.rand([2, 2, 1, 1], 2), 1, 'valid', 'NHWC', 3)).toThrow(
        /window \[4,4\] \(filter \[2,2\] dilated by \[3,3\]\)/,
      );
      expect(() => avgPool(x, 4, 1, 'valid')).toThrow(
        /avgPool: the output would have spatial size \[0,0\]/,
      );
      expect(() => conv2d(ctx.rand([3, 3], 3), ctx.rand([2, 2, 1, 1], 2), 1, 'valid')).toThrow(
        /conv2d: x must be of rank 4 \(NHWC: \[batch, height, width, channels\]\) or 3 .* got rank 2 \(shape \[3,3\]\)/,
      );
      expect(() => conv2d(x, ctx.rand([2, 2, 1], 2), 1, 'valid')).toThrow(
        /conv2d: filter must be of rank 4/,
      );
      expect(() =>
        conv2d(ctx.t([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), ctx.rand([1, 1, 1, 1], 2), 1, 'valid'),
      ).toThrow(DTypeError);
      expect(() =>
        conv2d(ctx.t([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), ctx.rand([1, 1, 1, 1], 2), 1, 'valid'),
      ).toThrow(/conv2d: x must be a float tensor \(float32 or float64\), got int32/);
      expect(() => avgPool(ctx.t([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), 1, 1, 'valid')).toThrow(
        DTypeError,
      );
      expect(() => conv2d(x, ctx.rand([1, 1, 1, 1], 2), 1, 'valid', 'HWCN' as 'NHWC')).toThrow(
        /conv2d: dataFormat must be 'NHWC' \(the default\) or 'NCHW', got HWCN/,
      );
      expect(() =>
        conv2dTranspose(
          ctx.rand([1, 2, 2, 1], 4),
          ctx.rand([2, 2, 1, 1], 5),
          [1, 5, 5, 1],
          1,
          'valid',
        ),
      ).toThrow(
        /conv2dTranspose: x \[1,2,2,1\] must have shape \[1,4,4,1\], the output of a conv2d of an input \[1,5,5,1\]/,
      );
    });

    it('the primitives validate too (engine.run with bad shapes)', () => {
      const x = ctx.rand([1, 4, 4, 2], 1);
      const dy = ctx.rand([1, 3, 3, 1], 2);
      expect(() =>
        ctx.engine.run('Conv2DBackpropFilter', [x, dy], {
          strides: [1, 1],
          pad: 'valid',
          dilations: [1, 1],
          filterShape: [2, 2, 2, 1],
        }),
      ).not.toThrow();
      expect(() =>
        ctx.engine.run('Conv2DBackpropFilter', [x, dy], {
          strides: [1, 1],
          pad: 'same',
          dilations: [1, 1],
          filterShape: [2, 2, 2, 1],
        }),
      ).toThrow(/conv2DBackpropFilter: dy \[1,3,3,1\] must have shape \[1,4,4,1\]/);
      expect(() =>
        ctx.engine.run('MaxPoolGrad', [x, dy], {
          filterSize: [2, 2],
          strides: [1, 1],
          pad: 'valid',
        }),
      ).toThrow(/maxPoolGrad: dy \[1,3,3,1\] must have shape \[1,3,3,2\]/);
      // the inputs are intact after the errors
      expectClose(x.reshape([32]).slice([0], [1]), [x.dataSync()[0]!]);
    });
  });
}
