import type { Engine, Variable } from '@tapegrad/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  load,
  loadVariables,
} from '../src/index.js';
import { build, newEngine, t } from './helpers.js';

let engine: Engine;
let w: Variable;
let b: Variable;

beforeAll(() => {
  engine = newEngine();
  w = engine.variable(t(engine, [1, 2, 3, 4, 5, 6], [2, 3]), true, 'w');
  b = engine.variable(t(engine, [7, 8, 9], [3]), true, 'b');
});

const W = (offsets: number[], extra: object = {}) => ({
  w: { dtype: 'F32', shape: [2, 3], data_offsets: offsets, ...extra },
});

/** [description, file bytes, expected message (substring or pattern)] */
const cases: [string, () => Uint8Array, string | RegExp][] = [
  [
    'empty file',
    () => new Uint8Array(0),
    'the file is 0 bytes, too short for the 8-byte header length',
  ],
  ['7 bytes', () => new Uint8Array(7), 'the file is 7 bytes, too short'],
  [
    'header length 10^12',
    () => build(W([0, 24]), 24, { headerLength: 10n ** 12n }),
    /header length 1000000000000 exceeds the file size \d+/,
  ],
  [
    'header length 2^64-1',
    () => build(W([0, 24]), 24, { headerLength: 2n ** 64n - 1n }),
    'header length 18446744073709551615 exceeds the file size',
  ],
  ['header length 0', () => build('', 0, { pad: false }), 'header length 0 is too small'],
  ['invalid JSON', () => build('{"w": {"dtype": "F32",', 0), /the header is not valid JSON \(/],
  [
    'invalid UTF-8',
    () => {
      const f = build('{"w":1}   ', 0, { pad: false });
      f[10] = 0xff;
      return f;
    },
    'the header is not valid UTF-8',
  ],
  ['array header', () => build([1, 2], 0), 'the header must be a JSON object, got an array'],
  ['null header', () => build('null', 0), 'the header must be a JSON object, got null'],
  [
    'number header',
    () => build('12345678', 0),
    'the header must be a JSON object, got number 12345678',
  ],
  [
    'string header',
    () => build('"weights"', 0),
    'the header must be a JSON object, got the string "weights"',
  ],
  [
    'entry not an object',
    () => build({ w: [0, 24] }, 24),
    "tensor 'w': expected an object with dtype, shape and data_offsets, got an array",
  ],
  [
    'unknown dtype',
    () => build({ w: { dtype: 'Q4', shape: [2], data_offsets: [0, 2] } }, 2),
    "tensor 'w' has dtype 'Q4', which tapegrad cannot load (accepted: F32, F64, F16, BF16, I32, I64, I16, I8, U64, U32, U16, U8, BOOL)",
  ],
  [
    'unsupported fp8 dtype',
    () => build({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, 2),
    "tensor 'w' has dtype 'F8_E4M3', which tapegrad cannot load",
  ],
  [
    'dtype missing',
    () => build({ w: { shape: [2], data_offsets: [0, 8] } }, 8),
    "tensor 'w': dtype must be a string, got undefined",
  ],
  [
    'negative dimension',
    () => build({ w: { dtype: 'F32', shape: [-2, 3], data_offsets: [0, 24] } }, 24),
    "tensor 'w': shape must be an array of non-negative integers, got [-2,3]",
  ],
  [
    'fractional dimension',
    () => build({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 6] } }, 6),
    "tensor 'w': shape must be an array of non-negative integers, got [1.5]",
  ],
  [
    'data_offsets missing',
    () => build({ w: { dtype: 'F32', shape: [2, 3] } }, 24),
    "tensor 'w': data_offsets must be [begin, end], two non-negative integers; got nothing",
  ],
  [
    'data_offsets of 3 numbers',
    () => build(W([0, 12, 24]), 24),
    "tensor 'w': data_offsets must be [begin, end], two non-negative integers; got [0,12,24]",
  ],
  [
    'data_offsets do not match the shape',
    () => build(W([0, 16]), 16),
    "tensor 'w' data_offsets [0,16] do not match F32 [2,3] (24 bytes)",
  ],
  [
    'data_offsets out of order',
    () => build(W([24, 0]), 24),
    "tensor 'w': data_offsets [24,0] are out of order (begin > end)",
  ],
  [
    'truncated data',
    () => build(W([0, 24]), 20),
    "tensor 'w' data_offsets [0,24] extend past the end of the data section (20 bytes; is the file truncated?)",
  ],
  [
    'overlapping tensors',
    () =>
      build(
        {
          a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
          b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
        },
        24,
      ),
    "tensors 'a' data_offsets [0,16] and 'b' data_offsets [8,24] overlap",
  ],
  [
    'two tensors on the same bytes',
    () =>
      build(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'I32', shape: [2], data_offsets: [0, 8] },
        },
        8,
      ),
    /tensors '[ab]' data_offsets \[0,8\] and '[ab]' data_offsets \[0,8\] overlap/,
  ],
  [
    'gap between tensors',
    () =>
      build(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [12, 20] },
        },
        20,
      ),
    "tensor 'b' starts at data offset 12 but the previous tensor 'a' ends at 8 (safetensors data must be contiguous, without gaps)",
  ],
  [
    'data not starting at 0',
    () => build(W([4, 28]), 28),
    "tensor 'w' starts at data offset 4 but the data starts at 0",
  ],
  [
    'trailing bytes',
    () => build(W([0, 24]), 30),
    'the data section is 30 bytes but the tensors cover 24 (6 unexpected trailing bytes)',
  ],
  [
    'metadata not an object',
    () => build({ __metadata__: 'v1', ...W([0, 24]) }, 24),
    '__metadata__ must be an object of strings, got the string "v1"',
  ],
  [
    'metadata value not a string',
    () => build({ __metadata__: { epoch: 3 }, ...W([0, 24]) }, 24),
    "__metadata__ value 'epoch' must be a string, got number 3",
  ],
];

describe('malformed files', () => {
  it.each(cases)('%s', async (_name, make, expected) => {
    const bytes = make();
    const err = (() => {
      try {
        decodeSafetensors(bytes, engine);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CheckpointError);
    const message = (err as Error).message;
    expect(message.startsWith(`decodeSafetensors(<${bytes.length} bytes>): `)).toBe(true);
    if (typeof expected === 'string') expect(message).toContain(expected);
    else expect(message).toMatch(expected);
    await expect(load(bytes, { engine })).rejects.toThrow(CheckpointError);
  });

  it.each(cases)(
    '%s: loadVariables changes no variable and creates no tensor',
    async (_n, make) => {
      const before = engine.memory();
      const wBefore = w.dataSync();
      await expect(loadVariables(make(), [w, b])).rejects.toThrow(
        /^loadVariables\(<\d+ bytes>\): /,
      );
      expect(w.dataSync()).toEqual(wBefore);
      expect(b.arraySync()).toEqual([7, 8, 9]);
      expect(engine.memory().numTensors).toBe(before.numTensors);
      expect(engine.memory().numBytes).toBe(before.numBytes);
    },
  );

  it('names the tensor in CheckpointError.tensorName', () => {
    const bytes = build(W([0, 16]), 16);
    try {
      decodeSafetensors(bytes, engine);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      expect((e as CheckpointError).tensorName).toBe('w');
      expect((e as CheckpointError).source).toBe(`<${bytes.length} bytes>`);
      expect((e as CheckpointError).name).toBe('CheckpointError');
    }
  });

  it('accepts a header padded with spaces, or not padded at all', () => {
    const data = new Uint8Array(new Float32Array([1, 2]).buffer);
    const header = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    for (const pad of [false, true]) {
      expect(
        decodeSafetensors(build(header, data, { pad }), engine).tensors.x!.arraySync(),
      ).toEqual([1, 2]);
    }
    const manySpaces = build(`${JSON.stringify(header)}${' '.repeat(21)}`, data, { pad: false });
    expect(decodeSafetensors(manySpaces, engine).tensors.x!.arraySync()).toEqual([1, 2]);
  });

  it('ignores unknown fields of an entry, as the reference implementation does', () => {
    const data = new Uint8Array(new Int32Array([3]).buffer);
    const header = { x: { dtype: 'I32', shape: [1], data_offsets: [0, 4], note: 'hi' } };
    expect(decodeSafetensors(build(header, data), engine).tensors.x!.arraySync()).toEqual([3]);
  });

  it('every truncation of a valid file is a CheckpointError', () => {
    const bytes = encodeSafetensors(
      {
        a: t(engine, [1, 2, 3], [3]),
        b: t(engine, [1, 0], [2], 'bool'),
        c: t(engine, 5, [], 'int32'),
      },
      { k: 'v' },
    );
    const before = engine.memory().numTensors;
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeSafetensors(bytes.subarray(0, n), engine), `length ${n}`).toThrow(
        CheckpointError,
      );
    }
    expect(engine.memory().numTensors).toBe(before);
  });

  it('corrupted bytes give a CheckpointError or a valid result, never another error', () => {
    const bytes = encodeSafetensors(
      { a: t(engine, [1, 2, 3], [3]), m: t(engine, [1, 0], [2], 'bool') },
      { k: 'v' },
    );
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 2000; trial++) {
      const copy = bytes.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < flips; k++)
        copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
      try {
        const { tensors } = decodeSafetensors(copy, engine);
        engine.dispose(tensors);
      } catch (e) {
        expect(e).toBeInstanceOf(CheckpointError);
      }
    }
  });
});
