/**
 * The views on a backend without synchronous reads, as webgpu is in a browser, simulated in
 * Node by the CPU kernels behind a backend whose readSync throws: the tape view falls back to
 * wasm, the training code reads asynchronously and gives the same numbers as on wasm.
 */
import * as tg from 'tapegrad';
import type { BackendPlugin, CpuBackend } from 'tapegrad';
import { beforeAll, describe, expect, it } from 'vitest';
import { withSyncReads } from '../src/backends.js';
import { evaluate, trainStep } from '../src/classifier.js';
import { findPreset } from '../src/presets.js';
import { runCode } from '../src/tape-graph.js';
import { makeDataset } from '../src/train2d/datasets.js';
import { createMlp } from '../src/train2d/mlp.js';
import { makeOptimizer } from '../src/optimizers.js';

const ASYNC_ONLY = /asynchronous reads only/;

/** The cpu backend with only asynchronous reads, named `async-cpu`. */
function asyncOnlyCpu(): BackendPlugin<CpuBackend> {
  const base = tg.cpu();
  return {
    kind: 'backend',
    name: 'async-cpu',
    priority: -1,
    kernels: base.kernels,
    create: async () => {
      const inner = await base.create();
      return new Proxy(inner, {
        get(target, prop) {
          if (prop === 'name') return 'async-cpu';
          if (prop === 'readSync') {
            return () => {
              throw new Error('async-cpu: asynchronous reads only (like webgpu in a browser)');
            };
          }
          if (prop === 'read') return (id: object) => Promise.resolve(target.readSync(id).slice());
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
    },
  };
}

/** Losses and test accuracy of `steps` seeded MLP steps on the spiral, on the active backend. */
async function train(steps: number): Promise<{ losses: number[]; accuracy: number }> {
  const data = makeDataset('spiral', { count: 200, noise: 0.05, seed: 3, testFraction: 0.2 });
  const model = createMlp({ hiddenLayers: 2, width: 8, activation: 'relu', seed: 3 });
  const optimizer = makeOptimizer('adam', 0.01);
  const losses: number[] = [];
  const batch = data.train.count;
  for (let i = 0; i < steps; i++) {
    const x = () => tg.tensor(data.train.xy, [batch, 2]);
    losses.push(await trainStep(model, optimizer, x, data.train.labels));
  }
  const test = () => tg.tensor(data.test.xy, [data.test.count, 2]);
  const { accuracy } = await evaluate(model, test, data.test.labels);
  optimizer.dispose();
  model.params.forEach((p) => p.dispose());
  return { losses, accuracy };
}

describe('a backend without synchronous reads (webgpu in a browser)', () => {
  beforeAll(async () => {
    tg.use(asyncOnlyCpu());
    await tg.setBackend('wasm');
  });

  it('the fake backend has no synchronous reads but reads asynchronously', async () => {
    await tg.setBackend('async-cpu');
    const t = tg.scalar(1).add(1);
    expect(() => t.dataSync()).toThrow(ASYNC_ONLY);
    expect(Array.from(await t.data())).toEqual([2]);
    t.dispose();
    await tg.setBackend('wasm');
  });

  it('the tape view runs on wasm meanwhile, and the backend stays selected', async () => {
    const code = findPreset('fxy')!.code;
    await tg.setBackend('async-cpu');
    // Without the fallback the graph cannot be read.
    expect(runCode(code).error).toMatch(ASYNC_ONLY);
    const outcome = withSyncReads(() => runCode(code));
    expect(outcome.error).toBeNull();
    expect(outcome.graph!.nodes.find((n) => n.label === 'x')!.grad).toEqual([24]);
    expect(outcome.graph!.nodes.find((n) => n.label === 'y')!.grad).toEqual([10]);
    expect(tg.getBackend()).toBe('async-cpu');
    await tg.setBackend('wasm');
  });

  it('training reads asynchronously and matches wasm step for step', async () => {
    await tg.setBackend('wasm');
    const before = tg.memory().numTensors;
    const onWasm = await train(15);
    await tg.setBackend('async-cpu');
    const onAsync = await train(15);
    await tg.setBackend('wasm');
    expect(onAsync.losses).toHaveLength(15);
    onAsync.losses.forEach((loss, i) => expect(loss).toBeCloseTo(onWasm.losses[i]!, 4));
    expect(onAsync.losses[14]!).toBeLessThan(onAsync.losses[0]!);
    expect(onAsync.accuracy).toBeCloseTo(onWasm.accuracy, 5);
    // Everything a step makes is freed, on both backends.
    expect(tg.memory().numTensors).toBe(before);
  });
});
