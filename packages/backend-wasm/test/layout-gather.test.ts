/**
 * The wasm gather/scatter kernels (Gather, GatherNd, ScatterNd, TensorScatterUpdate,
 * UnsortedSegmentSum, OneHot) against the CPU backend for every dtype, and their index
 * errors: the CPU backend's message, and nothing allocated or written.
 */
import type { DType, Engine } from '@tapegrad/core';
import { createTensor } from '@tapegrad/core';
import { gather, oneHot } from '@tapegrad/ops-math';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_ACCELERATED_OPS, WASM_HOSTED_OPS } from '../src/index.js';
import { cpuEngine, expectSame, wasmEngine } from './layout-compare.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool', 'float64'];
const NUMERIC: DType[] = ['float32', 'int32', 'float64'];
const GATHER_OPS = [
  'Gather',
  'GatherNd',
  'ScatterNd',
  'TensorScatterUpdate',
  'UnsortedSegmentSum',
  'OneHot',
];

let engine: Engine;
beforeAll(async () => {
  engine = await wasmEngine();
});

const idx = (shape: number[], values: number[]) => ({ shape, dtype: 'int32' as DType, values });

it('the gather/scatter ops run wasm kernels, not the hosted CPU kernels', () => {
  for (const op of GATHER_OPS) {
    expect(WASM_ACCELERATED_OPS).toContain(op);
    expect(WASM_HOSTED_OPS).not.toContain(op);
  }
});

// threadGrain 0: TensorScatterUpdate's copy of the tensor splits among the 2 threads.
describe.each([1, 2])('%i threads', (threads) => {
  let e: Engine;
  beforeAll(async () => {
    e = threads === 1 ? engine : await wasmEngine({ threads, threadGrain: 0 });
  });

  describe.each(DTYPES)('%s', (dtype) => {
    it('Gather along every axis, with batch dimensions and repeated indices', () => {
      const x = { shape: [3, 5, 7], dtype };
      expectSame(e, 'Gather', [x, idx([4], [2, 0, 2, 1])], { axis: 0, batchDims: 0 });
      expectSame(e, 'Gather', [x, idx([2, 3], [4, 0, 3, 3, 1, 2])], { axis: 1, batchDims: 0 });
      expectSame(e, 'Gather', [x, idx([5], [6, 0, 5, 1, 6])], { axis: 2, batchDims: 0 });
      expectSame(e, 'Gather', [x, idx([3, 2], [0, 4, 1, 1, 3, 2])], { axis: 1, batchDims: 1 });
      expectSame(e, 'Gather', [x, idx([0], [])], { axis: 1, batchDims: 0 });
      expectSame(e, 'Gather', [{ shape: [9], dtype }, idx([], [8])], { axis: 0, batchDims: 0 });
    });

    it('GatherNd and TensorScatterUpdate with K = 1, 2, 3', () => {
      const x = { shape: [4, 3, 5], dtype };
      const cases = [
        { indices: idx([3, 1], [3, 0, 3]), slice: [3, 5] },
        { indices: idx([2, 2, 2], [0, 2, 3, 1, 1, 1, 0, 2]), slice: [5] },
        { indices: idx([4, 3], [3, 2, 4, 0, 0, 0, 1, 1, 1, 3, 2, 4]), slice: [] },
      ];
      for (const { indices, slice } of cases) {
        expectSame(e, 'GatherNd', [x, indices]);
        const updates = { shape: [...indices.shape.slice(0, -1), ...slice], dtype };
        // Duplicate rows: the last update wins, as on the CPU backend.
        expectSame(e, 'TensorScatterUpdate', [x, indices, updates]);
      }
    });

    it('OneHot with out-of-range and negative indices', () => {
      const indices = idx([2, 3], [0, 4, -1, 2, 5, 1]);
      expectSame(e, 'OneHot', [indices], { depth: 5, onValue: 1, offValue: 0, dtype });
      expectSame(e, 'OneHot', [indices], { depth: 3, onValue: -2.5, offValue: 7, dtype });
      expectSame(e, 'OneHot', [idx([0], [])], { depth: 4, onValue: 1, offValue: 0, dtype });
    });
  });
});

describe.each(NUMERIC)('%s sums', (dtype) => {
  it('ScatterNd adds duplicate rows', () => {
    const indices = idx([4, 2], [1, 2, 0, 0, 1, 2, 3, 1]);
    expectSame(engine, 'ScatterNd', [indices, { shape: [4, 6], dtype }], { shape: [4, 3, 6] });
    expectSame(engine, 'ScatterNd', [idx([3, 1], [2, 2, 0]), { shape: [3, 5], dtype }], {
      shape: [3, 5],
    });
  });

  it('UnsortedSegmentSum over 1-D and 2-D segment ids', () => {
    expectSame(
      engine,
      'UnsortedSegmentSum',
      [{ shape: [6, 7], dtype }, idx([6], [2, 0, 2, 3, 0, 2])],
      { numSegments: 5 },
    );
    expectSame(
      engine,
      'UnsortedSegmentSum',
      [{ shape: [2, 3, 5], dtype }, idx([2, 3], [1, 1, 0, 1, 0, 1])],
      { numSegments: 2 },
    );
    expectSame(engine, 'UnsortedSegmentSum', [{ shape: [0, 3], dtype }, idx([0], [])], {
      numSegments: 3,
    });
  });
});

it('gather and oneHot through the public ops, with a negative axis', () => {
  const x = createTensor(engine, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 2, 3], 'int32');
  const y = gather(x, createTensor(engine, [2, 0], [2], 'int32'), -1);
  expect(y.shape).toEqual([2, 2, 2]);
  expect(Array.from(y.dataSync())).toEqual([2, 0, 5, 3, 8, 6, 11, 9]);
  const h = oneHot(createTensor(engine, [1, -1, 3], [3], 'int32'), 3, 5, 0, 'bool');
  expect(Array.from(h.dataSync())).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

describe('index errors', () => {
  /** Runs `op` on both engines: the same error message, and no wasm buffer left behind. */
  function expectSameError(op: string, inputs: [number[], DType, number[]][], attrs: object) {
    const messageOn = (e: Engine): string => {
      const xs = inputs.map(([shape, dtype, values]) => createTensor(e, values, shape, dtype));
      const before = e.memory().numDataBuffers;
      let message = '';
      try {
        e.run(op, xs, attrs as Record<string, unknown>);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(e.memory().numDataBuffers).toBe(before);
      xs.forEach((t) => t.dispose());
      return message;
    };
    const message = messageOn(engine);
    expect(message).not.toBe('');
    expect(message).toBe(messageOn(cpuEngine));
    return message;
  }

  it('Gather names the flat position, value and valid range', () => {
    const msg = expectSameError(
      'Gather',
      [
        [[2, 3], 'float32', [1, 2, 3, 4, 5, 6]],
        [[3], 'int32', [0, 3, 1]],
      ],
      { axis: 1, batchDims: 0 },
    );
    expect(msg).toMatch(/gather: indices\[1\] \(flat\) is 3.*valid: 0\.\.2/);
    expect(() => gather(createTensor(engine, [1, 2], [2]), [-1])).toThrow(/valid: 0\.\.1/);
  });

  it('GatherNd, ScatterNd and TensorScatterUpdate name the row, position and dimension', () => {
    const x: [number[], DType, number[]] = [[2, 3], 'int32', [1, 2, 3, 4, 5, 6]];
    const bad: [number[], DType, number[]] = [[2, 2], 'int32', [1, 2, 0, 3]];
    expect(expectSameError('GatherNd', [x, bad], {})).toMatch(
      /gatherND: index row 1 has 3 at position 1.*valid: 0\.\.2/,
    );
    expect(
      expectSameError('ScatterNd', [bad, [[2], 'float32', [1, 1]]], { shape: [2, 3] }),
    ).toMatch(/scatterND: index row 1 has 3/);
    expect(expectSameError('TensorScatterUpdate', [x, bad, [[2], 'int32', [9, 9]]], {})).toMatch(
      /tensorScatterUpdate: index row 1/,
    );
  });

  it('UnsortedSegmentSum names the segment id and numSegments', () => {
    expect(
      expectSameError(
        'UnsortedSegmentSum',
        [
          [[3], 'float32', [1, 2, 3]],
          [[3], 'int32', [0, 2, 1]],
        ],
        { numSegments: 2 },
      ),
    ).toMatch(/segmentIds\[1\] \(flat\) is 2, out of range for numSegments 2/);
  });
});
