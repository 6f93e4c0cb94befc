import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine, Tensor } from '@tapegrad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  inspect,
  io,
  load,
  save,
} from '../src/index.js';
import { bytesOf, fromBits, newEngine, readHeader, t } from './helpers.js';

let engine: Engine;
let dir: string;

beforeAll(async () => {
  engine = newEngine();
  dir = await mkdtemp(join(tmpdir(), 'tapegrad-io-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** float32 values whose bits must survive: NaN payloads, -0, ±Infinity, subnormals, extremes. */
function specialFloats(): Float32Array {
  const bits = new Uint32Array([
    0x7fc00000, // canonical quiet NaN
    0x7fc00001, // quiet NaN with payload
    0xffa00000, // negative signalling NaN with payload
    0x7f800001, // signalling NaN, smallest payload
    0x80000000, // -0
    0x00000000, // +0
    0x7f800000, // +Infinity
    0xff800000, // -Infinity
    0x00000001, // smallest subnormal
    0x807fffff, // largest negative subnormal
    0x00800000, // smallest normal
    0x7f7fffff, // largest finite
    0x3f800000, // 1
    0xbfc00000, // -1.5
  ]);
  return new Float32Array(bits.buffer);
}

describe('encode / decode round trip', () => {
  it('is bit-exact for float32 special values', () => {
    const values = specialFloats();
    const x = fromBits(engine, values, [2, 7], 'float32');
    const bytes = encodeSafetensors({ x });
    const { tensors } = decodeSafetensors(bytes, engine);
    const y = tensors.x!;
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([2, 7]);
    expect(bytesOf(y.dataSync())).toEqual(bytesOf(values));
  });

  it('round-trips int32, bool, float64, scalars and empty tensors', () => {
    const f64 = new Float64Array([0.1, -0, Number.MIN_VALUE, Number.MAX_VALUE, NaN, -Infinity]);
    const input: Record<string, Tensor> = {
      i32: t(engine, [-2147483648, 2147483647, 0, -1, 5, 6], [3, 2], 'int32'),
      mask: t(engine, [1, 0, 0, 1, 1], [5], 'bool'),
      f64: fromBits(engine, f64, [6], 'float64'),
      scalar: t(engine, 3.25, []),
      intScalar: t(engine, -7, [], 'int32'),
      empty: t(engine, [], [0, 4]),
      emptyInt: t(engine, [], [2, 0, 3], 'int32'),
      emptyBool: t(engine, [], [0], 'bool'),
    };
    const { tensors } = decodeSafetensors(encodeSafetensors(input), engine);
    expect(Object.keys(tensors)).toEqual(Object.keys(input));
    for (const [name, x] of Object.entries(input)) {
      const y = tensors[name]!;
      expect(y.dtype, name).toBe(x.dtype);
      expect(y.shape, name).toEqual(x.shape);
      expect(bytesOf(y.dataSync()), name).toEqual(bytesOf(x.dataSync()));
    }
    expect(tensors.scalar!.arraySync()).toBe(3.25);
    expect(tensors.mask!.arraySync()).toEqual([true, false, false, true, true]);
  });

  it('accepts plain { dtype, shape, data } tensors and validates them', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) },
      b: { dtype: 'bool', shape: [3], data: new Uint8Array([0, 5, 1]) },
    });
    const { tensors } = decodeSafetensors(bytes, engine);
    expect(tensors.a!.arraySync()).toEqual([1, 2]);
    expect(Array.from(tensors.b!.dataSync())).toEqual([0, 1, 1]); // bool written as 0/1
    expect(() =>
      encodeSafetensors({ a: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }),
    ).toThrow(/'a': data must be a Float32Array of 3 elements for float32 \[3\]/);
    expect(() =>
      encodeSafetensors({ a: { dtype: 'int32', shape: [2], data: new Float32Array(2) } }),
    ).toThrow(CheckpointError);
  });

  it('rejects disposed tensors, the reserved name and bad metadata', () => {
    const x = t(engine, [1]);
    x.dispose();
    expect(() => encodeSafetensors({ x })).toThrow(/tensor 'x' \(shape \[1\]\) was disposed/);
    expect(() => encodeSafetensors({ __metadata__: t(engine, [1]) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { epoch: 3 } as unknown as Record<string, string>)).toThrow(
      /metadata value 'epoch' must be a string/,
    );
  });

  it('returns tensors in file order, with metadata', () => {
    const bytes = encodeSafetensors(
      { b: t(engine, [1]), a: t(engine, [2, 3]) },
      { epoch: '3', note: 'ünïcødé' },
    );
    const { tensors, metadata } = decodeSafetensors(bytes, engine);
    expect(Object.keys(tensors)).toEqual(['b', 'a']);
    expect(metadata).toEqual({ epoch: '3', note: 'ünïcødé' });
  });

  it('keeps unusual names, including __proto__ and unicode', () => {
    const names = ['__proto__', 'constructor', 'layer.0/wéight', '', '0', 'a"b\\c'];
    const input = Object.fromEntries(names.map((n, i) => [n, t(engine, [i])]));
    const { tensors } = decodeSafetensors(encodeSafetensors(input), engine);
    for (const [i, n] of names.entries()) {
      expect(Object.prototype.hasOwnProperty.call(tensors, n), n).toBe(true);
      expect(tensors[n]!.arraySync(), n).toEqual([i]);
    }
  });
});

describe('header layout', () => {
  it('follows the safetensors spec', () => {
    const bytes = encodeSafetensors(
      {
        w: t(engine, [1, 2, 3, 4, 5, 6], [2, 3]),
        m: t(engine, [1, 0, 1], [3], 'bool'),
        d: t(engine, [1.5], [1], 'float64'), // unaligned in the file, after 3 bool bytes
        i: t(engine, [7, 8], [2], 'int32'),
        s: t(engine, 9, []),
        e: t(engine, [], [0]),
      },
      { framework: 'tapegrad' },
    );
    const { length, json, header } = readHeader(bytes);
    expect(length % 8).toBe(0);
    expect((8 + length) % 8).toBe(0); // data section starts 8-byte aligned
    expect(json.trimEnd().length).toBeGreaterThan(length - 8); // padding < 8 spaces
    expect(/^ *$/.test(json.slice(json.trimEnd().length))).toBe(true);
    expect(json.startsWith('{"__metadata__":{"framework":"tapegrad"}')).toBe(true);
    expect(header).toEqual({
      __metadata__: { framework: 'tapegrad' },
      w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      m: { dtype: 'BOOL', shape: [3], data_offsets: [24, 27] },
      d: { dtype: 'F64', shape: [1], data_offsets: [27, 35] },
      i: { dtype: 'I32', shape: [2], data_offsets: [35, 43] },
      s: { dtype: 'F32', shape: [], data_offsets: [43, 47] },
      e: { dtype: 'F32', shape: [0], data_offsets: [47, 47] },
    });
    expect(bytes.length).toBe(8 + length + 47);
    // little-endian data
    const data = new DataView(bytes.buffer, 8 + length);
    expect(data.getFloat32(4, true)).toBe(2);
    expect(data.getFloat64(27, true)).toBe(1.5);
    expect(data.getInt32(39, true)).toBe(8);
    expect(data.getUint8(25)).toBe(0);
    const back = decodeSafetensors(bytes, engine).tensors;
    expect(back.d!.arraySync()).toEqual([1.5]);
    expect(back.i!.arraySync()).toEqual([7, 8]);
  });

  it('writes F64 for float64 and no __metadata__ when none is given', () => {
    const bytes = encodeSafetensors({ x: t(engine, [1, 2], [2], 'float64') });
    expect(readHeader(bytes).header).toEqual({
      x: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
    });
  });

  it('pads every header length to a multiple of 8', () => {
    for (let n = 0; n < 12; n++) {
      const bytes = encodeSafetensors({ ['x'.repeat(n)]: t(engine, [1]) });
      expect(readHeader(bytes).length % 8).toBe(0);
    }
  });

  it('inspect reads the header without creating tensors', async () => {
    const bytes = encodeSafetensors({ w: t(engine, [1, 2], [1, 2]) }, { k: 'v' });
    const before = engine.memory().numTensors;
    const info = await inspect(bytes);
    expect(engine.memory().numTensors).toBe(before);
    expect(info).toEqual({
      tensors: { w: { dtype: 'F32', loadsAs: 'float32', shape: [1, 2], dataOffsets: [0, 8] } },
      metadata: { k: 'v' },
    });
  });
});

describe('save / load targets and sources', () => {
  it('round-trips through a file in a temp dir', async () => {
    const path = join(dir, 'model.safetensors');
    const w = fromBits(engine, specialFloats(), [14], 'float32');
    const written = await save({ w, n: t(engine, [1, 2], [2], 'int32') }, path, {
      metadata: { step: '10' },
    });
    const onDisk = new Uint8Array(await readFile(path));
    expect(onDisk).toEqual(written);
    const loaded = await load(path, { engine });
    expect(bytesOf(loaded.w!.dataSync())).toEqual(bytesOf(specialFloats()));
    expect(loaded.n!.arraySync()).toEqual([1, 2]);
    expect((await inspect(path)).metadata).toEqual({ step: '10' });
    // overwriting an existing checkpoint leaves no temporary file behind
    await save({ w }, path);
    expect(Object.keys(await load(path, { engine }))).toEqual(['w']);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((f) => f.startsWith('model'))).toEqual([
      'model.safetensors',
    ]);
  });

  it('writes and reads file: URLs', async () => {
    const url = pathToFileURL(join(dir, 'url model.safetensors'));
    await save({ a: t(engine, [4]) }, url);
    expect((await load(url, { engine })).a!.arraySync()).toEqual([4]);
    expect((await load(url.href, { engine })).a!.arraySync()).toEqual([4]);
  });

  it("returns bytes for 'bytes', undefined, and calls a function target", async () => {
    const x = t(engine, [1, 2]);
    const a = await save({ x }, 'bytes');
    const b = await save({ x });
    let got: Uint8Array | undefined;
    const c = await save({ x }, (bytes) => {
      got = bytes;
    });
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    expect(got).toBe(c);
    expect(readHeader(a).header).toEqual({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
  });

  it('loads from Uint8Array, a Uint8Array view, ArrayBuffer, Buffer, Blob and File', async () => {
    const bytes = await save({ x: t(engine, [5, 6]) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const sources = [
      bytes,
      shifted.subarray(3), // unaligned view into a larger buffer
      bytes.slice().buffer,
      Buffer.from(bytes),
      new Blob([bytes]),
      new File([bytes], 'weights.safetensors'),
    ];
    for (const source of sources) {
      const { x } = await load(source, { engine });
      expect(x!.arraySync()).toEqual([5, 6]);
    }
  });

  it('loads from http(s) URLs and data: URLs with fetch, naming the URL in errors', async () => {
    const bytes = await save({ x: t(engine, [7]) });
    const server = createServer((req, res) => {
      if (req.url === '/model.safetensors') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from(bytes));
      } else if (req.url === '/garbage') {
        res.end('not a checkpoint at all');
      } else {
        res.writeHead(404, 'Not Found');
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await load(`${base}/model.safetensors`, { engine })).x!.arraySync()).toEqual([7]);
      expect((await load(new URL(`${base}/model.safetensors`), { engine })).x!.arraySync()).toEqual(
        [7],
      );
      await expect(load(`${base}/missing`, { engine })).rejects.toThrow(
        `load('${base}/missing'): HTTP 404 Not Found`,
      );
      await expect(load(`${base}/garbage`, { engine })).rejects.toThrow(
        new RegExp(`load\\('${base}/garbage'\\): header length \\d+ exceeds the file size 23`),
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const dataUrl = `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`;
    expect((await load(dataUrl, { engine })).x!.arraySync()).toEqual([7]);
  });

  it('names the file when it cannot be read or written', async () => {
    const missing = join(dir, 'nope.safetensors');
    const err = await load(missing, { engine }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toContain(`load('${missing}'): cannot read the file: ENOENT`);
    await expect(
      save({ x: t(engine, [1]) }, join(dir, 'no/such/dir/x.safetensors')),
    ).rejects.toThrow(/save\('.*x\.safetensors'\): cannot write the file/);
    await expect(save({ x: t(engine, [1]) }, 'https://example.com/x')).rejects.toThrow(
      /cannot write to a URL/,
    );
  });

  it('names the file in format errors', async () => {
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, Buffer.from('hello world, not safetensors'));
    await expect(load(path, { engine })).rejects.toThrow(
      `load('${path}'): header length 8031924123371070824 exceeds the file size 28`,
    );
  });

  it('rejects wrong argument types', async () => {
    await expect(load(42 as unknown as Uint8Array)).rejects.toThrow(/source must be a file path/);
    await expect(save([] as unknown as Record<string, Tensor>)).rejects.toThrow(
      /expected an object mapping names to tensors/,
    );
  });

  it('exposes everything on the io namespace', () => {
    expect(io.save).toBe(save);
    expect(io.load).toBe(load);
    expect(typeof io.saveVariables).toBe('function');
    expect(typeof io.loadVariables).toBe('function');
    expect(io.CheckpointError).toBe(CheckpointError);
  });
});
