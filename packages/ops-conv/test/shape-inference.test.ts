/** Shape inference of the conv primitives, called directly: no engine, no backend. */
import type { DType, InputSpec, OpDef } from '@tapegrad/core';
import { ArgumentError, DTypeError, ShapeError } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import {
  AvgPool3DGradOp,
  AvgPoolGradOp,
  AvgPoolOp,
  Conv2DBackpropFilterOp,
  Conv2DBackpropInputOp,
  Conv2DOp,
  Conv3DOp,
  DepthwiseConv2DOp,
  MaxPool3DOp,
  MaxPoolGradGradOp,
  MaxPoolGradOp,
  MaxPoolOp,
  computeGeometry,
  conv,
  convOps,
} from '../src/index.js';

const spec = (shape: number[], dtype: DType = 'float32'): InputSpec => ({ shape, dtype });

function infer(
  op: OpDef,
  shapes: number[][],
  attrs: object,
  dtype: DType = 'float32',
): readonly number[] {
  return op.inferShape(
    shapes.map((s) => spec(s, dtype)),
    attrs,
  ) as readonly number[];
}

const conv2 = (pad: unknown, strides = [1, 1], dilations = [1, 1], dimRoundingMode?: string) => ({
  strides,
  pad,
  dilations,
  ...(dimRoundingMode ? { dimRoundingMode } : {}),
});

describe('conv output shapes', () => {
  it('valid and same, with strides', () => {
    expect(
      infer(
        Conv2DOp,
        [
          [2, 5, 5, 3],
          [3, 3, 3, 8],
        ],
        conv2('valid'),
      ),
    ).toEqual([2, 3, 3, 8]);
    expect(
      infer(
        Conv2DOp,
        [
          [2, 5, 5, 3],
          [3, 3, 3, 8],
        ],
        conv2('same'),
      ),
    ).toEqual([2, 5, 5, 8]);
    expect(
      infer(
        Conv2DOp,
        [
          [1, 7, 8, 1],
          [3, 3, 1, 1],
        ],
        conv2('same', [2, 2]),
      ),
    ).toEqual([1, 4, 4, 1]);
    expect(
      infer(
        Conv2DOp,
        [
          [1, 7, 8, 1],
          [3, 2, 1, 1],
        ],
        conv2('valid', [2, 3]),
      ),
    ).toEqual([1, 3, 3, 1]);
  });

  it('dilation enlarges the window to (f − 1)·d + 1', () => {
    expect(
      infer(
        Conv2DOp,
        [
          [1, 7, 7, 1],
          [3, 3, 1, 1],
        ],
        conv2('valid', [1, 1], [2, 2]),
      ),
    ).toEqual([1, 3, 3, 1]);
    expect(
      infer(
        Conv2DOp,
        [
          [1, 7, 7, 1],
          [3, 3, 1, 1],
        ],
        conv2('same', [1, 1], [3, 1]),
      ),
    ).toEqual([1, 7, 7, 1]);
    expect(
      infer(
        Conv2DOp,
        [
          [1, 9, 9, 1],
          [2, 2, 1, 1],
        ],
        conv2(1, [1, 1], [4, 4]),
      ),
    ).toEqual([1, 7, 7, 1]);
  });

  it('numeric padding with dimRoundingMode (default truncates like tfjs)', () => {
    // (6 + 2·1 − 3) / 2 + 1 = 3.5
    const shapes = [
      [1, 6, 6, 1],
      [3, 3, 1, 1],
    ];
    expect(infer(Conv2DOp, shapes, conv2(1, [2, 2]))).toEqual([1, 3, 3, 1]);
    expect(infer(Conv2DOp, shapes, conv2(1, [2, 2], [1, 1], 'floor'))).toEqual([1, 3, 3, 1]);
    expect(infer(Conv2DOp, shapes, conv2(1, [2, 2], [1, 1], 'round'))).toEqual([1, 4, 4, 1]);
    expect(infer(Conv2DOp, shapes, conv2(1, [2, 2], [1, 1], 'ceil'))).toEqual([1, 4, 4, 1]);
  });

  it('explicit padding', () => {
    const pad = [
      [0, 0],
      [1, 2],
      [0, 3],
      [0, 0],
    ];
    expect(
      infer(
        Conv2DOp,
        [
          [1, 5, 5, 1],
          [2, 2, 1, 1],
        ],
        conv2(pad),
      ),
    ).toEqual([1, 7, 7, 1]);
    expect(
      infer(
        Conv2DOp,
        [
          [1, 5, 5, 1],
          [2, 2, 1, 1],
        ],
        conv2(pad, [2, 2], [1, 1], 'ceil'),
      ),
    ).toEqual([1, 4, 4, 1]);
  });

  it('depthwise multiplies channels; conv3d has three spatial dimensions', () => {
    expect(
      infer(
        DepthwiseConv2DOp,
        [
          [2, 5, 5, 3],
          [3, 3, 3, 2],
        ],
        conv2('same', [2, 2]),
      ),
    ).toEqual([2, 3, 3, 6]);
    expect(
      infer(
        Conv3DOp,
        [
          [1, 4, 5, 6, 2],
          [2, 2, 3, 2, 4],
        ],
        { strides: [1, 2, 2], pad: 'valid', dilations: [1, 1, 1] },
      ),
    ).toEqual([1, 3, 2, 2, 4]);
    expect(
      infer(
        Conv3DOp,
        [
          [1, 4, 5, 6, 2],
          [2, 2, 3, 2, 4],
        ],
        { strides: [1, 1, 1], pad: 'same', dilations: [2, 1, 1] },
      ),
    ).toEqual([1, 4, 5, 6, 4]);
  });

  it('backprop ops return inputShape / filterShape and check dy', () => {
    const attrs = conv2('same', [2, 2]);
    expect(
      infer(
        Conv2DBackpropInputOp,
        [
          [1, 4, 4, 8],
          [3, 3, 3, 8],
        ],
        { ...attrs, inputShape: [1, 7, 8, 3] },
      ),
    ).toEqual([1, 7, 8, 3]);
    expect(
      infer(
        Conv2DBackpropFilterOp,
        [
          [1, 7, 8, 3],
          [1, 4, 4, 8],
        ],
        { ...attrs, filterShape: [3, 3, 3, 8] },
      ),
    ).toEqual([3, 3, 3, 8]);
    expect(() =>
      infer(
        Conv2DBackpropInputOp,
        [
          [1, 4, 5, 8],
          [3, 3, 3, 8],
        ],
        { ...attrs, inputShape: [1, 7, 8, 3] },
      ),
    ).toThrow(
      /conv2DBackpropInput: dy \[1,4,5,8\] must have shape \[1,4,4,8\], the output of a conv2d of an input \[1,7,8,3\] with a filter \[3,3,3,8\] \(strides \[2,2\], pad 'same', dilations \[1,1\]\)/,
    );
    expect(() =>
      infer(
        Conv2DBackpropInputOp,
        [
          [1, 4, 4, 8],
          [3, 3, 3, 8],
        ],
        { ...attrs, inputShape: [7, 8, 3] },
      ),
    ).toThrow(/conv2DBackpropInput: inputShape must be a list of 4 non-negative integers/);
  });
});

describe('pool output shapes', () => {
  const pool = (
    filterSize: number[],
    strides: number[],
    pad: unknown,
    dimRoundingMode?: string,
  ) => ({
    filterSize,
    strides,
    pad,
    ...(dimRoundingMode ? { dimRoundingMode } : {}),
  });

  it('valid, same, ceil; channels are kept; max pooling accepts int32', () => {
    expect(infer(MaxPoolOp, [[2, 5, 5, 3]], pool([2, 2], [2, 2], 'valid'))).toEqual([2, 2, 2, 3]);
    expect(infer(MaxPoolOp, [[2, 5, 5, 3]], pool([3, 3], [2, 2], 'same'))).toEqual([2, 3, 3, 3]);
    expect(infer(AvgPoolOp, [[2, 5, 5, 3]], pool([2, 2], [2, 2], 0, 'ceil'))).toEqual([2, 3, 3, 3]);
    expect(infer(MaxPoolOp, [[1, 4, 4, 1]], pool([2, 2], [2, 2], 'valid'), 'int32')).toEqual([
      1, 2, 2, 1,
    ]);
    expect(() => infer(AvgPoolOp, [[1, 4, 4, 1]], pool([2, 2], [2, 2], 'valid'), 'int32')).toThrow(
      DTypeError,
    );
    expect(infer(MaxPool3DOp, [[1, 4, 4, 4, 2]], pool([2, 2, 2], [2, 2, 2], 'valid'))).toEqual([
      1, 2, 2, 2, 2,
    ]);
  });

  it('gradient ops', () => {
    const attrs = pool([2, 2], [1, 1], 'valid');
    expect(
      infer(
        MaxPoolGradOp,
        [
          [1, 4, 4, 2],
          [1, 3, 3, 2],
        ],
        attrs,
      ),
    ).toEqual([1, 4, 4, 2]);
    expect(
      infer(
        MaxPoolGradGradOp,
        [
          [1, 4, 4, 2],
          [1, 4, 4, 2],
        ],
        attrs,
      ),
    ).toEqual([1, 3, 3, 2]);
    expect(infer(AvgPoolGradOp, [[1, 3, 3, 2]], { ...attrs, inputShape: [1, 4, 4, 2] })).toEqual([
      1, 4, 4, 2,
    ]);
    expect(
      infer(AvgPool3DGradOp, [[1, 2, 2, 2, 1]], {
        filterSize: [2, 2, 2],
        strides: [2, 2, 2],
        pad: 'same',
        inputShape: [1, 3, 3, 3, 1],
      }),
    ).toEqual([1, 3, 3, 3, 1]);
    expect(() =>
      infer(AvgPoolGradOp, [[1, 2, 3, 2]], { ...attrs, inputShape: [1, 4, 4, 2] }),
    ).toThrow(/avgPoolGrad: dy \[1,2,3,2\] must have shape \[1,3,3,2\]/);
  });
});

describe('computeGeometry', () => {
  it("'same' puts the odd padding element after (bottom/right), as TensorFlow does", () => {
    expect(computeGeometry('t', [4], [2], [1], [1], 'same')).toMatchObject({
      outSize: [4],
      padBefore: [0],
      padAfter: [1],
    });
    expect(computeGeometry('t', [5], [4], [1], [1], 'same')).toMatchObject({
      outSize: [5],
      padBefore: [1],
      padAfter: [2],
    });
    // strides 2 on 7: out 4, total (4 − 1)·2 + 3 − 7 = 2
    expect(computeGeometry('t', [7], [3], [2], [1], 'same')).toMatchObject({
      outSize: [4],
      padBefore: [1],
      padAfter: [1],
    });
    expect(computeGeometry('t', [7, 7], [3, 3], [1, 1], [2, 2], 'valid')).toMatchObject({
      outSize: [3, 3],
      effectiveFilterSize: [5, 5],
    });
  });
});

describe('errors', () => {
  it('name the op, the argument, the shapes and what is valid', () => {
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 3],
          [2, 2, 2, 1],
        ],
        conv2('valid'),
      ),
    ).toThrow(ShapeError);
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 3],
          [2, 2, 2, 1],
        ],
        conv2('valid'),
      ),
    ).toThrow(
      /conv2d: x \[1,4,4,3\] has 3 input channels \(its last dimension\) but filter \[2,2,2,1\] expects 2 \(its dimension 2, inChannels/,
    );
    expect(() =>
      infer(
        Conv2DOp,
        [
          [4, 4, 3],
          [2, 2, 3, 1],
        ],
        conv2('valid'),
      ),
    ).toThrow(
      /conv2d: x must be of rank 4 \(NHWC: \[batch, height, width, inChannels\]\), got rank 3 \(shape \[4,4,3\]\)/,
    );
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [2, 2, 1, 1],
        ],
        conv2('valid', [2, 2], [2, 2]),
      ),
    ).toThrow(ArgumentError);
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [2, 2, 1, 1],
        ],
        conv2('valid', [2, 1], [1, 2]),
      ),
    ).toThrow(/conv2d: strides \[2,1\] and dilations \[1,2\] cannot both be greater than 1/);
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [2, 2, 1, 1],
        ],
        conv2('full'),
      ),
    ).toThrow(
      /conv2d: pad must be 'valid', 'same', a non-negative integer, or explicit padding \[\[0,0\],\[top,bottom\],\[left,right\],\[0,0\]\] of non-negative integers; got 'full'/,
    );
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [5, 2, 1, 1],
        ],
        conv2('valid'),
      ),
    ).toThrow(/conv2d: the output would have spatial size \[0,3\]/);
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [2, 2, 1, 1],
        ],
        conv2('same', [1, 1], [1, 1], 'ceil'),
      ),
    ).toThrow(/dimRoundingMode 'ceil', but got pad 'same'/);
    expect(() =>
      infer(
        Conv2DOp,
        [
          [1, 4, 4, 1],
          [2, 2, 1, 1],
        ],
        conv2('valid'),
        'int32',
      ),
    ).toThrow(/conv2d: x must be a float tensor \(float32 or float64\), got int32/);
    expect(() =>
      Conv2DOp.inferShape(
        [spec([1, 4, 4, 1]), spec([2, 2, 1, 1], 'float64')],
        conv2('valid') as never,
      ),
    ).toThrow(/conv2d: x \(float32\) and filter \(float64\) must have the same dtype/);
    expect(() =>
      infer(MaxPoolOp, [[1, 4, 4, 1]], { filterSize: [2], strides: [1, 1], pad: 'valid' }),
    ).toThrow(
      /maxPool: filterSize must be a positive integer or 2 positive integers \[height, width\], got \[2\]/,
    );
  });
});

describe('the plugin', () => {
  it("requires 'math', has unique op names and a gradient for every op", () => {
    expect(conv.kind).toBe('ops');
    expect(conv.name).toBe('conv');
    expect(conv.requires).toEqual(['math']);
    const names = convOps.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const op of convOps) expect(typeof op.grad, op.name).toBe('function');
    expect(Object.keys(conv.methods ?? {}).sort()).toEqual(
      [
        'avgPool',
        'conv1d',
        'conv2d',
        'conv2dTranspose',
        'depthwiseConv2d',
        'maxPool',
        'separableConv2d',
      ].sort(),
    );
  });
});
