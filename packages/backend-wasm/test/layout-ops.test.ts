/**
 * The wasm layout kernels (Transpose, Slice, StridedSlice, Reverse, Pad, Tile, BroadcastTo,
 * Concat, Split) against the CPU backend, bit for bit, for every dtype, on odd shapes,
 * ranks 1–6, empty tensors and the public ops' negative axes.
 */
import type { DType, Engine } from '@tapegrad/core';
import { Random, createTensor } from '@tapegrad/core';
import { concat, reverse, split, stridedSlice, transpose } from '@tapegrad/ops-math';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_ACCELERATED_OPS, WASM_HOSTED_OPS } from '../src/index.js';
import { expectSame, wasmEngine } from './layout-compare.js';

const DTYPES: DType[] = ['float32', 'int32', 'bool', 'float64'];
const LAYOUT_OPS = [
  'Transpose',
  'Slice',
  'StridedSlice',
  'Reverse',
  'Pad',
  'Tile',
  'BroadcastTo',
  'Concat',
  'Split',
];

let engine: Engine;
beforeAll(async () => {
  engine = await wasmEngine();
});

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

function shuffled(n: number, rng: Random): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

it('the layout ops run wasm kernels, not the hosted CPU kernels', () => {
  for (const op of LAYOUT_OPS) {
    expect(WASM_ACCELERATED_OPS).toContain(op);
    expect(WASM_HOSTED_OPS).not.toContain(op);
  }
});

// threadGrain 0 splits every copy that can split among the 2 threads, however small.
describe.each([1, 2])('%i threads', (threads) => {
  let e: Engine;
  beforeAll(async () => {
    e = threads === 1 ? engine : await wasmEngine({ threads, threadGrain: 0 });
  });

  describe.each(DTYPES)('%s', (dtype) => {
    it('Transpose: every permutation of ranks 1–4 on odd shapes', () => {
      const dims = [3, 5, 2, 7];
      for (let r = 1; r <= 4; r++) {
        for (const perm of permutations(r)) {
          expectSame(e, 'Transpose', [{ shape: dims.slice(0, r), dtype }], { perm });
        }
      }
    });

    it('Transpose: random permutations of ranks 5 and 6, with size-1 dimensions', () => {
      const rng = new Random(7);
      for (const shape of [
        [2, 3, 1, 5, 4],
        [3, 1, 2, 5, 2, 3],
        [2, 4, 3, 5, 6, 2],
      ]) {
        for (let t = 0; t < 6; t++) {
          expectSame(e, 'Transpose', [{ shape, dtype }], { perm: shuffled(shape.length, rng) });
        }
      }
    });

    it('Transpose: tiled planes with partial tiles and 4×4 edges', () => {
      for (const shape of [
        [67, 133],
        [4, 4],
        [5, 9],
        [33, 32],
        [1, 9],
        [9, 1],
      ]) {
        expectSame(e, 'Transpose', [{ shape, dtype }], { perm: [1, 0] });
      }
      expectSame(e, 'Transpose', [{ shape: [3, 37, 41], dtype }], { perm: [0, 2, 1] });
      expectSame(e, 'Transpose', [{ shape: [3, 37, 41], dtype }], { perm: [2, 1, 0] });
      expectSame(e, 'Transpose', [{ shape: [6, 5, 7, 9], dtype }], { perm: [3, 1, 0, 2] });
      expectSame(e, 'Transpose', [{ shape: [2, 3, 4, 5, 6, 7], dtype }], {
        perm: [5, 4, 3, 2, 1, 0],
      });
    });

    it('Slice and StridedSlice (positive and negative steps)', () => {
      expectSame(e, 'Slice', [{ shape: [7, 5, 3], dtype }], {
        begin: [2, 1, 0],
        size: [3, 4, 3],
      });
      expectSame(e, 'Slice', [{ shape: [7, 5, 3], dtype }], {
        begin: [0, 0, 1],
        size: [7, 5, 1],
      });
      expectSame(e, 'Slice', [{ shape: [2, 3, 4, 5, 3, 2], dtype }], {
        begin: [1, 0, 1, 2, 0, 1],
        size: [1, 3, 2, 3, 2, 1],
      });
      expectSame(e, 'Slice', [{ shape: [9], dtype }], { begin: [4], size: [0] });
      expectSame(e, 'StridedSlice', [{ shape: [9, 7], dtype }], {
        begin: [8, 1],
        size: [3, 3],
        strides: [-3, 2],
      });
      expectSame(e, 'StridedSlice', [{ shape: [4, 6, 5], dtype }], {
        begin: [3, 0, 4],
        size: [4, 3, 5],
        strides: [-1, 2, -1],
      });
    });

    it('Reverse any subset of axes', () => {
      for (const axes of [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]) {
        expectSame(e, 'Reverse', [{ shape: [3, 5, 11], dtype }], { axes });
      }
      expectSame(e, 'Reverse', [{ shape: [13], dtype }], { axes: [0] });
    });

    it('Pad with a constant', () => {
      expectSame(e, 'Pad', [{ shape: [3, 5], dtype }], {
        paddings: [
          [1, 2],
          [0, 3],
        ],
        constantValue: 0,
      });
      expectSame(e, 'Pad', [{ shape: [2, 3, 1, 2], dtype }], {
        paddings: [
          [0, 1],
          [2, 0],
          [1, 1],
          [0, 0],
        ],
        constantValue: 2.5,
      });
      expectSame(e, 'Pad', [{ shape: [0, 3], dtype }], {
        paddings: [
          [1, 1],
          [1, 0],
        ],
        constantValue: -7,
      });
    });

    it('Tile and BroadcastTo', () => {
      expectSame(e, 'Tile', [{ shape: [3, 5], dtype }], { reps: [2, 3] });
      expectSame(e, 'Tile', [{ shape: [2, 1, 3], dtype }], { reps: [1, 4, 2] });
      expectSame(e, 'Tile', [{ shape: [3], dtype }], { reps: [0] });
      expectSame(e, 'BroadcastTo', [{ shape: [3, 1], dtype }], { shape: [2, 3, 7] });
      expectSame(e, 'BroadcastTo', [{ shape: [1, 5], dtype }], { shape: [4, 5] });
      expectSame(e, 'BroadcastTo', [{ shape: [], dtype }], { shape: [3, 2] });
      expectSame(e, 'BroadcastTo', [{ shape: [2, 1, 3, 1], dtype }], { shape: [2, 5, 3, 6] });
    });

    it('Concat and Split along every axis', () => {
      for (let axis = 0; axis < 3; axis++) {
        const a = [2, 3, 5];
        const b = [...a];
        b[axis] = 1;
        const c = [...a];
        c[axis] = 0;
        expectSame(
          engine,
          'Concat',
          [
            { shape: a, dtype },
            { shape: b, dtype },
            { shape: c, dtype },
          ],
          { axis },
        );
        const sizes = [1, a[axis]! - 1, 0];
        expectSame(e, 'Split', [{ shape: a, dtype }], { axis, sizes });
      }
    });
  });

  describe.each(DTYPES)('%s scalars and empty tensors', (dtype) => {
    it('rank 0', () => {
      const x = { shape: [], dtype };
      expectSame(e, 'Transpose', [x], { perm: [] });
      expectSame(e, 'Slice', [x], { begin: [], size: [] });
      expectSame(e, 'Reverse', [x], { axes: [] });
      expectSame(e, 'Tile', [x], { reps: [] });
      expectSame(e, 'Pad', [x], { paddings: [], constantValue: 3 });
    });

    it('empty tensors', () => {
      const x = { shape: [3, 0, 4], dtype };
      expectSame(e, 'Transpose', [x], { perm: [2, 0, 1] });
      expectSame(e, 'Reverse', [x], { axes: [0, 1] });
      expectSame(e, 'Tile', [x], { reps: [2, 3, 1] });
      expectSame(e, 'Pad', [x], {
        paddings: [
          [0, 1],
          [1, 1],
          [0, 0],
        ],
        constantValue: 1,
      });
      expectSame(e, 'BroadcastTo', [{ shape: [0, 1], dtype }], { shape: [2, 0, 5] });
      expectSame(e, 'Concat', [x, { shape: [3, 2, 4], dtype }], { axis: 1 });
      expectSame(e, 'Split', [{ shape: [3, 2, 4], dtype }], { axis: 1, sizes: [0, 2] });
    });
  });
});

describe('public ops with negative axes', () => {
  it('concat, split, reverse, transpose, stridedSlice', () => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
    const x = createTensor(engine, values, [2, 3, 4], 'int32');
    const y = createTensor(engine, values.slice(0, 12), [2, 3, 2], 'int32');
    expect(Array.from(concat([x, y], -1).dataSync()).slice(0, 6)).toEqual([0, 1, 2, 3, 0, 1]);
    const [p, q] = split(x, [1, 3], -1);
    expect(Array.from(p!.dataSync())).toEqual([0, 4, 8, 12, 16, 20]);
    expect(q!.shape).toEqual([2, 3, 3]);
    expect(Array.from(reverse(x, -1).dataSync()).slice(0, 4)).toEqual([3, 2, 1, 0]);
    expect(Array.from(transpose(x, [-1, 0, 1]).dataSync()).slice(0, 6)).toEqual([
      0, 4, 8, 12, 16, 20,
    ]);
    expect(Array.from(stridedSlice(x, [-1, 0, -1], [-3, 3, 0], [-1, 2, -2]).dataSync())).toEqual([
      15, 13, 23, 21, 3, 1, 11, 9,
    ]);
  });
});
