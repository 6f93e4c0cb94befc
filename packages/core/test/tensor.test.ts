import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DisposedError,
  ShapeError,
  createEye,
  createFill,
  createLinspace,
  createRandomNormal,
  createRandomUniform,
  createRange,
  createTensor,
} from '../src/index.js';
import { refEngine, vals } from './fixtures.js';

describe('tensor creation', () => {
  const e = refEngine();

  it('infers shape and dtype from nested arrays, booleans and typed arrays', () => {
    const a = createTensor(e, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(a.rank).toBe(2);
    expect(a.size).toBe(6);
    expect(a.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(createTensor(e, [true, false]).dtype).toBe('bool');
    expect(createTensor(e, [true, false]).arraySync()).toEqual([true, false]);
    expect(createTensor(e, new Int32Array([1, 2])).dtype).toBe('int32');
    expect(createTensor(e, 7).shape).toEqual([]);
    expect(createTensor(e, [1.7, -1.7], [2], 'int32').arraySync()).toEqual([1, -1]);
  });

  it('accepts a flat array with a shape, and fills a shape from one value', () => {
    expect(createTensor(e, [1, 2, 3, 4], [2, 2]).arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(vals(createTensor(e, [5], [3]))).toEqual([5, 5, 5]);
  });

  it('rejects ragged arrays, size mismatches, bad shapes and dtypes with clear errors', () => {
    expect(() => createTensor(e, [[1, 2], [3]])).toThrow(ShapeError);
    expect(() => createTensor(e, [[1, 2], [3]])).toThrow(/ragged/);
    expect(() => createTensor(e, [1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2,2\]/);
    expect(() => createTensor(e, [1], [-1])).toThrow(/non-negative integers/);
    expect(() => createTensor(e, [1], [1], 'float16' as never)).toThrow(/dtype must be one of/);
    expect(() => createTensor(e, 'abc' as never)).toThrow(ArgumentError);
  });

  it('dataSync returns a copy: mutating it does not corrupt the tensor', () => {
    const a = createTensor(e, [1, 2, 3]);
    const d = a.dataSync();
    d[0] = 100;
    expect(vals(a)).toEqual([1, 2, 3]);
  });

  it('copies user typed arrays on creation', () => {
    const src = new Float32Array([1, 2]);
    const a = createTensor(e, src);
    src[0] = 9;
    expect(vals(a)).toEqual([1, 2]);
  });

  it('async reads', async () => {
    const a = createTensor(e, [[1, 2]]);
    expect(Array.from(await a.data())).toEqual([1, 2]);
    expect(await a.array()).toEqual([[1, 2]]);
  });

  it('fill, range, linspace, eye', () => {
    expect(vals(createFill(e, [2, 2], 3))).toEqual([3, 3, 3, 3]);
    expect(vals(createRange(e, 0, 5, 2))).toEqual([0, 2, 4]);
    expect(vals(createRange(e, 5, 0, -2))).toEqual([5, 3, 1]);
    expect(() => createRange(e, 0, 1, 0)).toThrow(/step must be a non-zero/);
    expect(vals(createLinspace(e, 0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(createEye(e, 2, 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(createEye(e, 2, 2, [2]).shape).toEqual([2, 2, 2]);
  });

  it('seeded random tensors are reproducible and have the right moments', () => {
    const a = vals(createRandomNormal(e, [2000], 1, 2, 42));
    const b = vals(createRandomNormal(e, [2000], 1, 2, 42));
    expect(a).toEqual(b);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.15);
    expect(Math.abs(std - 2)).toBeLessThan(0.15);
    const u = vals(createRandomUniform(e, [1000], -1, 3, 7));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(vals(createRandomUniform(e, [5], 0, 10, 'int32', 3)).every(Number.isInteger)).toBe(true);
    expect(vals(createRandomNormal(e, [3], 0, 1, 1))).not.toEqual(
      vals(createRandomNormal(e, [3], 0, 1, 2)),
    );
  });

  it('toString shows shape, dtype and values', () => {
    expect(createTensor(e, [[1, 2.5]]).toString()).toBe('Tensor(shape [1,2], float32) [[1, 2.5]]');
  });

  it('reading a disposed tensor names the problem', () => {
    const a = createTensor(e, [1]);
    a.dispose();
    a.dispose(); // idempotent
    expect(a.isDisposed).toBe(true);
    expect(() => a.dataSync()).toThrow(DisposedError);
    expect(() => a.dataSync()).toThrow(/was disposed/);
  });
});
