import { describe, expect, it } from 'vitest';
import { kernelBytes } from '../src/module.js';
import { KERNELS_WASM_BYTES } from '../src/generated/kernels-wasm.js';

describe('embedded kernel module', () => {
  it('inflates to a valid WebAssembly module of the recorded length', () => {
    const module = kernelBytes();
    expect(module.length).toBe(KERNELS_WASM_BYTES);
    expect(Array.from(module.subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(WebAssembly.validate(module)).toBe(true);
  });
});
