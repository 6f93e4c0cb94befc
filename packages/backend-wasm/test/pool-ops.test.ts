/**
 * The wasm pooling kernels (2-D and 3-D max/avg pooling and their gradients) against the
 * CPU backend bit for bit (same argmax on ties, float64 averages), and the depthwise
 * convolution kernels within float32 rounding, on channel counts that are not multiples of
 * 4, every padding form, strides, dilations, channel multipliers and empty windows.
 */
import type { Engine } from '@tapegrad/core';
import { Random } from '@tapegrad/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_ACCELERATED_OPS, WASM_HOSTED_OPS } from '../src/index.js';
import type { InputSpec } from './layout-compare.js';
import { expectClose, expectSame, runBoth, wasmEngine } from './layout-compare.js';

const POOL_OPS = [
  'MaxPool',
  'AvgPool',
  'MaxPool3D',
  'AvgPool3D',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'MaxPool3DGrad',
  'AvgPool3DGrad',
  'MaxPoolGradGrad',
  'MaxPool3DGradGrad',
];
const DEPTHWISE_OPS = [
  'DepthwiseConv2D',
  'DepthwiseConv2DBackpropInput',
  'DepthwiseConv2DBackpropFilter',
];

let engine: Engine;
let twoThreads: Engine;
beforeAll(async () => {
  engine = await wasmEngine();
  twoThreads = await wasmEngine({ threads: 2, threadGrain: 0 });
});

/** Values from a small set, so windows have ties (max pooling must keep the first maximum). */
function tied(n: number, seed: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Math.floor(rng.uniform() * 4) - 2);
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Output shape of `op` on the wasm engine (to shape the gradient inputs). */
function outShape(op: string, inputs: InputSpec[], attrs: Record<string, unknown>): number[] {
  return [...runBoth(engine, op, inputs, attrs).wasm[0]!.shape];
}

it('the pooling and depthwise ops run wasm kernels, not the hosted CPU kernels', () => {
  for (const op of [...POOL_OPS, ...DEPTHWISE_OPS]) {
    expect(WASM_ACCELERATED_OPS).toContain(op);
    expect(WASM_HOSTED_OPS).not.toContain(op);
  }
});

const POOL_2D_CASES: [string, number[], Record<string, unknown>][] = [
  [
    '3×3 stride 2 valid, 5 channels',
    [2, 7, 9, 5],
    { filterSize: [3, 3], strides: [2, 2], pad: 'valid' },
  ],
  [
    '2×2 stride 2 same, 16 channels',
    [2, 7, 8, 16],
    { filterSize: [2, 2], strides: [2, 2], pad: 'same' },
  ],
  [
    '3×2 stride 1 same, 1 channel',
    [1, 6, 5, 1],
    { filterSize: [3, 2], strides: [1, 1], pad: 'same' },
  ],
  [
    'explicit padding beyond the window (empty windows), 7 channels',
    [1, 3, 4, 7],
    {
      filterSize: [2, 2],
      strides: [2, 3],
      pad: [
        [0, 0],
        [3, 2],
        [2, 3],
        [0, 0],
      ],
    },
  ],
  [
    'numeric pad with ceil rounding, 6 channels',
    [2, 6, 7, 6],
    { filterSize: [3, 3], strides: [2, 2], pad: 1, dimRoundingMode: 'ceil' },
  ],
];

describe.each(POOL_2D_CASES)('2-D pooling: %s', (_, xShape, attrs) => {
  it.each([1, 2])(
    'MaxPool, AvgPool and their gradients match the CPU backend bit for bit (%i threads)',
    (threads) => {
      const e = threads === 1 ? engine : twoThreads;
      const x = { shape: xShape, values: tied(sizeOf(xShape), 3) };
      const yShape = outShape('MaxPool', [x], attrs);
      const dy = { shape: yShape };
      const g = { shape: xShape };
      expectSame(e, 'MaxPool', [x], attrs);
      expectSame(e, 'AvgPool', [{ shape: xShape }], attrs);
      expectSame(e, 'MaxPoolGrad', [x, dy], attrs);
      expectSame(e, 'MaxPoolGradGrad', [x, g], attrs);
      expectSame(e, 'AvgPoolGrad', [dy], { ...attrs, inputShape: xShape });
    },
  );
});

const POOL_3D_CASES: [string, number[], Record<string, unknown>][] = [
  [
    '2×3×2 strides 1,2,2 valid, 3 channels',
    [2, 4, 6, 5, 3],
    { filterSize: [2, 3, 2], strides: [1, 2, 2], pad: 'valid' },
  ],
  [
    '2×2×2 stride 2 same, 9 channels',
    [1, 5, 3, 4, 9],
    { filterSize: [2, 2, 2], strides: [2, 2, 2], pad: 'same' },
  ],
];

describe.each(POOL_3D_CASES)('3-D pooling: %s', (_, xShape, attrs) => {
  it.each([1, 2])(
    'MaxPool3D, AvgPool3D and their gradients match the CPU backend bit for bit (%i threads)',
    (threads) => {
      const e = threads === 1 ? engine : twoThreads;
      const x = { shape: xShape, values: tied(sizeOf(xShape), 5) };
      const dy = { shape: outShape('MaxPool3D', [x], attrs) };
      expectSame(e, 'MaxPool3D', [x], attrs);
      expectSame(e, 'AvgPool3D', [{ shape: xShape }], attrs);
      expectSame(e, 'MaxPool3DGrad', [x, dy], attrs);
      expectSame(e, 'MaxPool3DGradGrad', [x, { shape: xShape }], attrs);
      expectSame(e, 'AvgPool3DGrad', [dy], { ...attrs, inputShape: xShape });
    },
  );
});

it('max pooling keeps NaN only where it comes first in the window, as the CPU backend', () => {
  const values = [NaN, 1, 2, 3, 4, NaN, 6, 7, 8, 9, 10, 11, 12, 13, 14, NaN];
  const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
  expectSame(engine, 'MaxPool', [{ shape: [1, 4, 4, 1], values }], attrs);
  expectSame(engine, 'MaxPool', [{ shape: [1, 2, 2, 4], values }], attrs);
});

it('windows over an empty input (explicit padding) give zeros, as on the CPU backend', () => {
  const attrs = {
    filterSize: [2, 2],
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 1],
      [1, 2],
      [0, 0],
    ],
  };
  expectSame(engine, 'MaxPool', [{ shape: [2, 0, 0, 3] }], attrs);
  expectSame(engine, 'AvgPool', [{ shape: [2, 0, 0, 3] }], attrs);
});

it('pooling of an empty batch', () => {
  const attrs = { filterSize: [2, 2], strides: [1, 1], pad: 'valid' };
  expectSame(engine, 'MaxPool', [{ shape: [0, 3, 3, 2] }], attrs);
  expectSame(engine, 'AvgPool', [{ shape: [0, 3, 3, 2] }], attrs);
  expectSame(engine, 'AvgPoolGrad', [{ shape: [0, 2, 2, 2] }], {
    ...attrs,
    inputShape: [0, 3, 3, 2],
  });
});

const DEPTHWISE_CASES: [string, number[], number[], Record<string, unknown>][] = [
  [
    '3×3 same, 5 channels, multiplier 1',
    [2, 7, 6, 5],
    [3, 3, 5, 1],
    { strides: [1, 1], pad: 'same', dilations: [1, 1] },
  ],
  [
    '3×3 valid stride 2, 8 channels, multiplier 1',
    [2, 9, 8, 8],
    [3, 3, 8, 1],
    { strides: [2, 2], pad: 'valid', dilations: [1, 1] },
  ],
  [
    '2×3 dilation 2, 3 channels, multiplier 3',
    [1, 8, 9, 3],
    [2, 3, 3, 3],
    { strides: [1, 1], pad: 'same', dilations: [2, 2] },
  ],
  [
    '3×3 stride 2 same, 2 channels, multiplier 6',
    [2, 7, 7, 2],
    [3, 3, 2, 6],
    { strides: [2, 2], pad: 'same', dilations: [1, 1] },
  ],
  [
    'explicit padding, 4 channels, multiplier 2',
    [1, 5, 6, 4],
    [2, 2, 4, 2],
    {
      strides: [1, 2],
      pad: [
        [0, 0],
        [1, 2],
        [0, 3],
        [0, 0],
      ],
      dilations: [1, 1],
    },
  ],
];

describe.each(DEPTHWISE_CASES)('depthwise: %s', (_, xShape, fShape, attrs) => {
  it('forward and both backprops match the CPU backend', () => {
    const x = { shape: xShape };
    const f = { shape: fShape };
    const yShape = outShape('DepthwiseConv2D', [x, f], attrs);
    expectClose(engine, 'DepthwiseConv2D', [x, f], attrs);
    expectClose(engine, 'DepthwiseConv2DBackpropInput', [{ shape: yShape }, f], {
      ...attrs,
      inputShape: xShape,
    });
    // The filter gradient sums in float64 in the CPU backend's order: bit for bit.
    expectSame(engine, 'DepthwiseConv2DBackpropFilter', [x, { shape: yShape }], {
      ...attrs,
      filterShape: fShape,
    });
  });

  it('2 threads: forward and input gradient as on 1, filter gradient as on the CPU backend', () => {
    const x = { shape: xShape };
    const f = { shape: fShape };
    const yShape = outShape('DepthwiseConv2D', [x, f], attrs);
    const sameOnThreads = (op: string, inputs: InputSpec[], opAttrs: Record<string, unknown>) => {
      const one = runBoth(engine, op, inputs, opAttrs).wasm[0]!;
      const two = runBoth(twoThreads, op, inputs, opAttrs).wasm[0]!;
      expect(Array.from(two.values)).toEqual(Array.from(one.values));
    };
    sameOnThreads('DepthwiseConv2D', [x, f], attrs);
    sameOnThreads('DepthwiseConv2DBackpropInput', [{ shape: yShape }, f], {
      ...attrs,
      inputShape: xShape,
    });
    // Split by channels on 2 threads, the filter gradient still sums as the CPU backend.
    expectSame(twoThreads, 'DepthwiseConv2DBackpropFilter', [x, { shape: yShape }], {
      ...attrs,
      filterShape: fShape,
    });
  });
});
