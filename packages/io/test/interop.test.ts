import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Engine } from '@tapegrad/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, inspect, load, loadVariables } from '../src/index.js';
import { newEngine, t } from './helpers.js';

/** Written by test/fixtures/make_fixture.py (numpy, independent of this package). */
const fixture = fileURLToPath(new URL('./fixtures/python-numpy.safetensors', import.meta.url));
const overflow = fileURLToPath(new URL('./fixtures/int64-overflow.safetensors', import.meta.url));

let engine: Engine;
beforeAll(() => {
  engine = newEngine();
});

describe('interop: a file written by another implementation (Python + numpy)', () => {
  it('has the expected header', async () => {
    const info = await inspect(fixture);
    expect(info.metadata).toEqual({ format: 'pt', written_by: 'make_fixture.py (numpy)' });
    expect(
      Object.fromEntries(
        Object.entries(info.tensors).map(([k, v]) => [k, [v.dtype, v.loadsAs, v.shape]]),
      ),
    ).toEqual({
      f64: ['F64', 'float64', [2]],
      i64: ['I64', 'int32', [4]],
      empty: ['F32', 'float32', [0, 3]],
      f32: ['F32', 'float32', [2, 3]],
      i32: ['I32', 'int32', [2, 2]],
      scalar: ['F32', 'float32', []],
      bf16: ['BF16', 'float32', [2, 2]],
      f16: ['F16', 'float32', [6]],
      mask: ['BOOL', 'bool', [3]],
      u8: ['U8', 'int32', [3]],
    });
  });

  it('loads every tensor with the exact values', async () => {
    const x = await load(fixture, { engine });
    expect(x.f32!.dtype).toBe('float32');
    expect(Array.from(x.f32!.dataSync())).toEqual([
      1.5,
      -2.25,
      Math.fround(1e-40),
      -0,
      Infinity,
      3.4028234663852886e38,
    ]);
    expect(Object.is(x.f32!.dataSync()[3], -0)).toBe(true);
    expect(x.f64!.dtype).toBe('float64');
    expect(Array.from(x.f64!.dataSync())).toEqual([0.1, -1e300]);
    expect(x.i32!.arraySync()).toEqual([
      [-2147483648, 2147483647],
      [0, 7],
    ]);
    expect(x.i64!.dtype).toBe('int32');
    expect(x.i64!.arraySync()).toEqual([-5, 0, 2147483647, -2147483648]);
    expect(x.f16!.dtype).toBe('float32');
    expect(x.f16!.arraySync()).toEqual([1, -0.5, 65504, 2 ** -14, 2 ** -24, -Infinity]);
    expect(x.bf16!.dtype).toBe('float32');
    expect(x.bf16!.arraySync()).toEqual([
      [1, -3],
      [0.15625, 3.3895313892515355e38],
    ]);
    expect(x.u8!.dtype).toBe('int32');
    expect(x.u8!.arraySync()).toEqual([0, 255, 7]);
    expect(x.mask!.arraySync()).toEqual([true, false, true]);
    expect(x.scalar!.shape).toEqual([]);
    expect(x.scalar!.arraySync()).toBe(42);
    expect(x.empty!.shape).toEqual([0, 3]);
    expect(x.empty!.size).toBe(0);
    engine.dispose(x);
  });

  it('loads the fixture into variables', async () => {
    const w = engine.variable(t(engine, [0, 0, 0, 0, 0, 0], [2, 3]), true, 'f32');
    const ids = engine.variable(t(engine, [0, 0, 0, 0], [4], 'int32'), false, 'i64');
    const result = await loadVariables(fixture, [w, ids]);
    expect(ids.arraySync()).toEqual([-5, 0, 2147483647, -2147483648]);
    expect(w.arraySync()).toEqual([
      [1.5, -2.25, Math.fround(1e-40)],
      [-0, Infinity, 3.4028234663852886e38],
    ]);
    expect(result.unexpected.sort()).toEqual([
      'bf16',
      'empty',
      'f16',
      'f64',
      'i32',
      'mask',
      'scalar',
      'u8',
    ]);
  });

  it('rejects an I64 beyond the int32 range with a clear error', async () => {
    const err = await load(overflow, { engine }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(
      `load('${overflow}'): tensor 'big' holds 1099511627776 at flat index 1, outside the int32 range ` +
        '[-2147483648, 2147483647], so the I64 tensor cannot load as int32 ' +
        '(tapegrad has no 64-bit integers; convert it before saving)',
    );
  });

  it('the fixture bytes are what the script documents', async () => {
    const bytes = new Uint8Array(await readFile(fixture));
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const json = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    // header keys alphabetical, __metadata__ last: a layout this package never writes
    expect(json.startsWith('{"bf16":')).toBe(true);
    expect(
      json
        .trimEnd()
        .endsWith('"__metadata__":{"format":"pt","written_by":"make_fixture.py (numpy)"}}'),
    ).toBe(true);
  });
});
