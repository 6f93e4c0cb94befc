/**
 * Reusable scratch buffers of the conv kernels (im2col columns, partial filter gradients),
 * grown on demand, one per slot and float type: the hot path allocates nothing it does not return.
 */
import type { TypedArray } from '@tapegrad/core';

const f32: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
const f64: Float64Array[] = [new Float64Array(0), new Float64Array(0)];

/** A scratch array of at least `size` elements of `like`'s float type (contents undefined). */
export function scratch(slot: 0 | 1, like: TypedArray, size: number): TypedArray {
  if (like instanceof Float64Array) {
    if (f64[slot]!.length < size) f64[slot] = new Float64Array(size);
    return f64[slot]!;
  }
  if (f32[slot]!.length < size) f32[slot] = new Float32Array(size);
  return f32[slot]!;
}

/** Elements of one im2col chunk: 2^20 (4 MiB of float32), so big batches stream through cache-sized pieces. */
const CHUNK_ELEMENTS = 1 << 20;

/** Output positions per im2col chunk for K columns. */
export function rowsPerChunk(k: number): number {
  return Math.max(1, Math.floor(CHUNK_ELEMENTS / Math.max(k, 1)));
}
