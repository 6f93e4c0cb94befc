import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import { WASM_ACCELERATED_OPS, WASM_HOSTED_OPS, wasm, wasmUnacceleratedOps } from '../src/index.js';

describe('coverage of the math ops', () => {
  it('every primitive of ops-math and ops-conv has a WebAssembly kernel (none runs hosted)', () => {
    const engine = createEngine({ ops: [math, conv], backends: [wasm(), cpu()] });
    expect(wasmUnacceleratedOps(engine)).toEqual([]);
    expect(WASM_HOSTED_OPS).toEqual([]);
  });
  it('the math families of this package are registered', () => {
    for (const op of ['Exp', 'Erf', 'Atanh', 'Round', 'Where', 'Cast', 'Pow', 'Cumprod', 'ArgMin'])
      expect(WASM_ACCELERATED_OPS).toContain(op);
  });
});
