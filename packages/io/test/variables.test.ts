import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine, Tensor, Variable } from '@tapegrad/core';
import { createTensor } from '@tapegrad/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NamedTensor, OptimizerLike } from '../src/index.js';
import { CheckpointError, io, loadVariables, saveVariables } from '../src/index.js';
import { build, newEngine, readHeader, t } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tapegrad-io-vars-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * An optimizer-like object with Adam-ish state: `iterations` (a fresh tensor from
 * getWeights, as tapegrad's Optimizer does) and per-variable slots (returned as the
 * optimizer's own tensors, as tfjs does). setWeights copies what it keeps.
 */
class FakeOptimizer implements OptimizerLike {
  iterations = 0;
  readonly slots = new Map<string, Tensor>();
  setWeightsCalls = 0;
  failOn: string | null = null;

  constructor(readonly engine: Engine) {}

  getWeights(): NamedTensor[] {
    return [
      { name: 'iterations', tensor: createTensor(this.engine, this.iterations, [], 'int32') },
      ...[...this.slots].map(([name, tensor]) => ({ name, tensor })),
    ];
  }

  setWeights(weights: NamedTensor[]): void {
    this.setWeightsCalls++;
    for (const { name, tensor } of weights) {
      if (name === this.failOn) throw new Error(`unknown state '${name}'`);
      if (name === 'iterations') {
        this.iterations = tensor.dataSync()[0]!;
        continue;
      }
      this.slots.get(name)?.dispose();
      this.slots.set(
        name,
        createTensor(this.engine, tensor.dataSync(), tensor.shape, tensor.dtype),
      );
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) s.dispose();
  }
}

describe('saveVariables / loadVariables', () => {
  let engine: Engine;
  let kernel: Variable;
  let bias: Variable;
  let steps: Variable;
  let mask: Variable;

  beforeEach(() => {
    engine = newEngine();
    kernel = engine.variable(t(engine, [1, 2, 3, 4, 5, 6, 7, 8], [2, 4]), true, 'dense/kernel');
    bias = engine.variable(t(engine, [0.5, -0.5, 0, 1], [4]), true, 'dense/bias');
    steps = engine.variable(t(engine, 41, [], 'int32'), false, 'steps');
    mask = engine.variable(t(engine, [1, 0, 1], [3], 'bool'), false, 'mask');
  });

  const all = () => [kernel, bias, steps, mask];
  const snapshot = () => all().map((v) => v.arraySync());
  function overwrite(v: Variable, values: number[] | number): void {
    const x = createTensor(engine, values, v.shape, v.dtype);
    v.assign(x);
    x.dispose();
  }

  it('round-trips by name, through a file, and leaks nothing', async () => {
    const path = join(dir, 'ckpt.safetensors');
    const original = snapshot();
    const before = engine.memory().numTensors;
    await saveVariables(all(), path, { metadata: { epoch: '2' } });
    overwrite(kernel, [0, 0, 0, 0, 0, 0, 0, 0]);
    overwrite(bias, [9, 9, 9, 9]);
    overwrite(steps, 0);
    overwrite(mask, [0, 0, 0]);
    const result = await loadVariables(path, [mask, bias, kernel, steps]);
    expect(snapshot()).toEqual(original);
    expect(result).toEqual({
      loaded: ['mask', 'dense/bias', 'dense/kernel', 'steps'],
      missing: [],
      unexpected: [],
      optimizerWeights: 0,
      metadata: { epoch: '2' },
    });
    expect(engine.memory().numTensors).toBe(before);
  });

  it('accepts an object: keys are the checkpoint names', async () => {
    const bytes = await saveVariables({ 'model.w': kernel, 'model.b': bias });
    expect(Object.keys(readHeader(bytes).header as object)).toEqual(['model.w', 'model.b']);
    overwrite(kernel, [0, 0, 0, 0, 0, 0, 0, 0]);
    await loadVariables(bytes, { 'model.w': kernel });
    expect(kernel.arraySync()).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });

  it('a wrong shape fails naming the variable and leaves every variable unchanged', async () => {
    const other = newEngine();
    const bytes = await saveVariables([
      other.variable(t(other, [9, 9, 9, 9, 9, 9], [2, 3]), true, 'dense/kernel'),
      other.variable(t(other, [9, 9, 9, 9], [4]), true, 'dense/bias'),
      other.variable(t(other, 9, [], 'int32'), false, 'steps'),
      other.variable(t(other, [0, 0, 0], [3], 'bool'), false, 'mask'),
    ]);
    const original = snapshot();
    const before = engine.memory();
    await expect(loadVariables(bytes, all())).rejects.toThrow(
      `loadVariables(<${bytes.length} bytes>): 'dense/kernel' has shape [2,3] in the checkpoint but the variable is [2,4] (no variable was changed)`,
    );
    expect(snapshot()).toEqual(original);
    expect(engine.memory().numTensors).toBe(before.numTensors);
    expect(engine.memory().numBytes).toBe(before.numBytes);
  });

  it('reports every problem at once, with dtype mismatches', async () => {
    const other = newEngine();
    const bytes = await saveVariables([
      other.variable(t(other, [1, 2, 3, 4, 5, 6], [2, 3]), true, 'dense/kernel'),
      other.variable(t(other, [1, 2, 3, 4], [4], 'int32'), false, 'dense/bias'),
    ]);
    const original = snapshot();
    const err = await loadVariables(bytes, all()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(
      `loadVariables(<${bytes.length} bytes>): 4 problems: ` +
        "'dense/kernel' has shape [2,3] in the checkpoint but the variable is [2,4]; " +
        "'dense/bias' is I32 in the checkpoint (loads as int32) but the variable is float32; " +
        "'steps' is missing from the checkpoint; 'mask' is missing from the checkpoint (no variable was changed)",
    );
    expect(snapshot()).toEqual(original);
  });

  it('strict: false skips missing variables and lists extras', async () => {
    const other = newEngine();
    const bytes = await saveVariables([
      other.variable(t(other, [3, 3, 3, 3], [4]), true, 'dense/bias'),
      other.variable(t(other, [1], [1]), true, 'unused'),
    ]);
    const result = await loadVariables(bytes, all(), { strict: false });
    expect(bias.arraySync()).toEqual([3, 3, 3, 3]);
    expect(kernel.arraySync()).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(result.loaded).toEqual(['dense/bias']);
    expect(result.missing).toEqual(['dense/kernel', 'steps', 'mask']);
    expect(result.unexpected).toEqual(['unused']);
    // extra entries are not an error when strict either
    const strict = await loadVariables(bytes, [bias]);
    expect(strict.unexpected).toEqual(['unused']);
  });

  it('loads half-precision and 64-bit entries into float32 / int32 variables', async () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x0000]).buffer); // 1,-2,0.5,0
    const i64 = new Uint8Array(new BigInt64Array([-3n]).buffer);
    const data = new Uint8Array(16);
    data.set(f16, 0);
    data.set(i64, 8);
    const bytes = build(
      {
        'dense/bias': { dtype: 'F16', shape: [4], data_offsets: [0, 8] },
        steps: { dtype: 'I64', shape: [], data_offsets: [8, 16] },
      },
      data,
    );
    await loadVariables(bytes, [bias, steps]);
    expect(bias.arraySync()).toEqual([1, -2, 0.5, 0]);
    expect(steps.arraySync()).toBe(-3);
  });

  it('an I64 value beyond int32 fails before any variable changes', async () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat32(0, 123, true);
    new DataView(data.buffer).setBigInt64(8, 2n ** 35n, true);
    const bytes = build(
      {
        'dense/bias': { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        pad: { dtype: 'U8', shape: [4], data_offsets: [4, 8] },
        steps: { dtype: 'I64', shape: [], data_offsets: [8, 16] },
      },
      data,
    );
    const small = engine.variable(t(engine, [0], [1]), true, 'small');
    const before = engine.memory().numTensors;
    await expect(loadVariables(bytes, { 'dense/bias': small, steps })).rejects.toThrow(
      "tensor 'steps' holds 34359738368 at flat index 0, outside the int32 range",
    );
    expect(small.arraySync()).toEqual([0]);
    expect(steps.arraySync()).toBe(41);
    expect(engine.memory().numTensors).toBe(before);
  }, 10_000);

  it('rejects disposed variables, duplicate names and reserved names', async () => {
    const bytes = await saveVariables([kernel]);
    const gone = engine.variable(t(engine, [1], [1]), true, 'gone');
    gone.dispose();
    await expect(loadVariables(bytes, [kernel, gone])).rejects.toThrow(
      /variable 'gone' was disposed/,
    );
    await expect(saveVariables([gone])).rejects.toThrow(/variable 'gone' was disposed/);
    await expect(saveVariables({ a: kernel, 'optimizer/x': bias })).rejects.toThrow(/reserved/);
    const other = newEngine();
    const twin = other.variable(t(other, [1], [1]), true, 'dense/kernel');
    await expect(saveVariables([kernel, twin])).rejects.toThrow(
      /two different variables are named 'dense\/kernel'/,
    );
  });

  describe('optimizer state', () => {
    it('round-trips under optimizer/ without disposing the optimizer tensors', async () => {
      const opt = new FakeOptimizer(engine);
      opt.iterations = 7;
      opt.slots.set('dense/kernel/m', t(engine, [1, 1, 1, 1, 2, 2, 2, 2], [2, 4]));
      opt.slots.set('dense/bias/m', t(engine, [0.25, 0, 0, 0], [4]));
      const before = engine.memory().numTensors;
      const bytes = await saveVariables([kernel, bias], undefined, { optimizer: opt });
      expect(engine.memory().numTensors).toBe(before); // fresh getWeights tensors released
      expect(opt.slots.get('dense/bias/m')!.isDisposed).toBe(false);
      expect(Object.keys(readHeader(bytes).header as object)).toEqual([
        'dense/kernel',
        'dense/bias',
        'optimizer/iterations',
        'optimizer/dense/kernel/m',
        'optimizer/dense/bias/m',
      ]);

      const fresh = new FakeOptimizer(engine);
      overwrite(bias, [0, 0, 0, 0]);
      const result = await loadVariables(bytes, [kernel, bias], { optimizer: fresh });
      expect(result.optimizerWeights).toBe(3);
      expect(result.unexpected).toEqual([]);
      expect(fresh.iterations).toBe(7);
      expect(fresh.slots.get('dense/kernel/m')!.arraySync()).toEqual([
        [1, 1, 1, 1],
        [2, 2, 2, 2],
      ]);
      expect(fresh.slots.get('dense/bias/m')!.arraySync()).toEqual([0.25, 0, 0, 0]);
      expect(bias.arraySync()).toEqual([0.5, -0.5, 0, 1]);
      // without an optimizer the state is listed as unexpected, not an error
      const plain = await loadVariables(bytes, [kernel, bias]);
      expect(plain.unexpected).toEqual([
        'optimizer/iterations',
        'optimizer/dense/kernel/m',
        'optimizer/dense/bias/m',
      ]);
      opt.dispose();
      fresh.dispose();
    });

    it('a missing optimizer state is an error when strict', async () => {
      const bytes = await saveVariables([bias]);
      const opt = new FakeOptimizer(engine);
      await expect(loadVariables(bytes, [bias], { optimizer: opt })).rejects.toThrow(
        /the checkpoint has no optimizer state/,
      );
      expect(opt.setWeightsCalls).toBe(0);
      await loadVariables(bytes, [bias], { optimizer: opt, strict: false });
      expect(opt.setWeightsCalls).toBe(0);
    });

    it('if setWeights throws, the optimizer is restored and no variable changes', async () => {
      const opt = new FakeOptimizer(engine);
      opt.iterations = 3;
      opt.slots.set('dense/bias/m', t(engine, [1, 2, 3, 4], [4]));
      const bytes = await saveVariables([bias], undefined, { optimizer: opt });
      opt.iterations = 10;
      overwrite(bias, [8, 8, 8, 8]);
      opt.failOn = 'dense/bias/m';
      await expect(loadVariables(bytes, [bias], { optimizer: opt })).rejects.toThrow(
        "optimizer.setWeights rejected the saved state: unknown state 'dense/bias/m' (no variable was changed)",
      );
      expect(bias.arraySync()).toEqual([8, 8, 8, 8]);
      expect(opt.iterations).toBe(10); // restored from the snapshot
      opt.dispose();
    });

    it('rejects objects that are not optimizers', async () => {
      await expect(
        io.saveVariables([bias], undefined, { optimizer: {} as unknown as OptimizerLike }),
      ).rejects.toThrow(/optimizer must have getWeights\(\) and setWeights\(\)/);
    });
  });
});
