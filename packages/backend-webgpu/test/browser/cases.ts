/**
 * Cases run in headless Chromium on `navigator.gpu` (test/browser.test.ts bundles
 * test/browser/page.ts, which runs them): the seed examples, a few conformance cases and an
 * MLP against the CPU backend. Browsers cannot read the GPU synchronously, so every read is
 * `await t.data()`; each case throws with a message on a wrong number.
 */
import type { Engine, Tensor } from '@tapegrad/core';
import { createTensor, grads } from '@tapegrad/core';
import {
  add,
  argMax,
  cast,
  greater,
  losses,
  matMul,
  max,
  mul,
  relu,
  sigmoid,
  slice,
  softmax,
  sub,
  sum,
  tanh,
  where,
} from '@tapegrad/ops-math';
import type { WebGPUBackend } from '../../src/index.js';

export interface BrowserEnv {
  /** An engine on webgpu (navigator.gpu), fusion on. */
  gpu: Engine;
  /** The same with fusion off. */
  unfused: Engine;
  /** The CPU backend, as the reference. */
  cpu: Engine;
  /** New engines (for cases that check memory(): earlier cases' garbage is collected meanwhile). */
  fresh: () => Promise<{ gpu: Engine; cpu: Engine }>;
}

export interface BrowserCase {
  name: string;
  run: (env: BrowserEnv) => Promise<void>;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

async function expectValues(
  t: Tensor,
  want: ArrayLike<number>,
  what: string,
  rtol = 1e-5,
  atol = 1e-6,
): Promise<void> {
  const got = await t.data();
  check(got.length === want.length, `${what}: ${got.length} values, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= atol + rtol * Math.abs(want[i]!);
    check(ok, `${what}[${i}] = ${got[i]}, expected ${want[i]}`);
  }
}

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/** The seed MLP (4 -> 8 -> 3, softmax cross-entropy) with SGD; returns the losses. */
async function trainMlp(e: Engine, steps: number): Promise<number[]> {
  const t = (v: Float32Array, shape: number[]) => createTensor(e, v, shape);
  // Kept referenced to the end: otherwise the garbage collector frees them mid-run.
  const initial = [
    t(values(32, 1, 0.5), [4, 8]),
    t(new Float32Array(8), [8]),
    t(values(24, 2, 0.5), [8, 3]),
  ];
  const [w1, b1, w2] = [e.variable(initial[0]!), e.variable(initial[1]!), e.variable(initial[2]!)];
  const params = [w1, b1, w2];
  const x = t(values(64, 3), [16, 4]);
  const labels = createTensor(
    e,
    Array.from({ length: 16 }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))),
  );
  const out: number[] = [];
  let before = e.memory();
  for (let i = 0; i < steps; i++) {
    const loss = e.tidy(() => {
      const l = losses.softmaxCrossEntropy(labels, matMul(relu(add(matMul(x, w1), b1)), w2));
      l.backward();
      for (const p of params) {
        p.assign(sub(p, mul(p.grad!, 0.5)));
        p.grad = null;
      }
      return l;
    });
    out.push((await loss.data())[0]!);
    loss.dispose();
    if (i === 0) before = e.memory();
  }
  const after = e.memory();
  check(
    after.numTensors === before.numTensors && after.numBytes === before.numBytes,
    `memory() changed over ${steps - 1} steps: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`,
  );
  e.dispose([...params, ...initial, x, labels]);
  return out;
}

const chain = (x: Tensor): Tensor => sum(mul(tanh(add(mul(x, x), mul(x, 0.5))), sigmoid(x)));

export const browserCases: BrowserCase[] = [
  {
    name: 'seed: w=[2,3], X=[-1,-2], cost=Y[1]*Y: ∂Σcost/∂w = [6, 28]',
    run: async ({ gpu: e }) => {
      const [g] = grads((w: Tensor) => {
        const Y = mul(w, createTensor(e, [-1, -2]));
        return mul(slice(Y, [1], [1]), Y);
      })([createTensor(e, [2, 3])], createTensor(e, [1, 1]));
      await expectValues(g!, [6, 28], 'grad');
    },
  },
  {
    name: 'seed: f(x, y) = x²y + y + 2 at (3, 4): f = 42, ∂f/∂x = 24, ∂f/∂y = 10',
    run: async ({ gpu: e }) => {
      const x = createTensor(e, 3).requiresGrad_();
      const y = createTensor(e, 4).requiresGrad_();
      const f = add(add(mul(mul(x, x), y), y), 2);
      f.backward();
      await expectValues(f, [42], 'f');
      await expectValues(x.grad!, [24], '∂f/∂x');
      await expectValues(y.grad!, [10], '∂f/∂y');
    },
  },
  {
    name: 'matMul 5×7·7×3 with transposes agrees with the CPU backend',
    run: async ({ gpu, cpu }) => {
      const a = values(35, 4);
      const b = values(21, 5);
      for (const [tA, tB] of [
        [false, false],
        [true, true],
      ] as const) {
        const as = tA ? [7, 5] : [5, 7];
        const bs = tB ? [3, 7] : [7, 3];
        const want = await matMul(
          createTensor(cpu, a, as),
          createTensor(cpu, b, bs),
          tA,
          tB,
        ).data();
        const got = matMul(createTensor(gpu, a, as), createTensor(gpu, b, bs), tA, tB);
        await expectValues(got, want, `matMul(${tA}, ${tB})`, 1e-5, 1e-6);
      }
    },
  },
  {
    name: 'reductions and softmax (sum, max, argMax over axes) agree with the CPU backend',
    run: async ({ gpu, cpu }) => {
      const v = values(24, 6);
      const run = (e: Engine) => {
        const x = createTensor(e, v, [2, 3, 4]);
        return [sum(x, 1), max(x, [0, 2]), cast(argMax(x, 2), 'float32'), softmax(x)];
      };
      const want = run(cpu);
      const got = run(gpu);
      for (let i = 0; i < want.length; i++)
        await expectValues(got[i]!, await want[i]!.data(), `output ${i}`, 1e-5, 1e-6);
    },
  },
  {
    name: 'fusion: broadcasting, where and casts in one kernel agree with the CPU backend',
    run: async ({ gpu, cpu }) => {
      const run = (e: Engine) => {
        const x = createTensor(e, values(24, 7), [2, 3, 4]);
        const b = createTensor(e, values(4, 8), [4]);
        const y = mul(add(x, b), cast(greater(x, 0), 'float32'));
        return where(greater(y, 0.2), tanh(y), sub(b, x));
      };
      const backend = gpu.findBackend('webgpu') as WebGPUBackend;
      const d0 = backend.stats().dispatches;
      const got = run(gpu);
      await expectValues(got, await run(cpu).data(), 'z', 1e-5, 1e-6);
      check(
        backend.stats().dispatches - d0 === 1,
        `${backend.stats().dispatches - d0} dispatches, expected 1`,
      );
    },
  },
  {
    name: 'fusion: the elementwise chain with its gradient takes fewer dispatches, same numbers',
    run: async ({ gpu, unfused, cpu }) => {
      const x = values(500, 9, 2);
      const measure = async (e: Engine) => {
        const backend = e.findBackend(e.getBackend()) as Partial<WebGPUBackend>;
        const d0 = backend.stats?.().dispatches ?? 0;
        const [g] = grads(chain)([createTensor(e, x, [500])]);
        const values = await g!.data();
        return { values, dispatches: (backend.stats?.().dispatches ?? 0) - d0 };
      };
      const a = await measure(gpu);
      const b = await measure(unfused);
      const r = await measure(cpu);
      check(
        a.dispatches < b.dispatches,
        `fused ${a.dispatches} vs unfused ${b.dispatches} dispatches`,
      );
      for (let i = 0; i < r.values.length; i++) {
        const ok = Math.abs(a.values[i]! - r.values[i]!) <= 1e-5 + 1e-4 * Math.abs(r.values[i]!);
        check(ok, `grad[${i}] = ${a.values[i]}, cpu ${r.values[i]}`);
      }
    },
  },
  {
    name: 'the seed MLP: 20 SGD steps give the CPU losses; memory() flat',
    run: async ({ fresh }) => {
      const { gpu, cpu } = await fresh();
      const got = await trainMlp(gpu, 20);
      const want = await trainMlp(cpu, 20);
      for (let i = 0; i < want.length; i++) {
        const ok = Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!);
        check(ok, `loss ${i}: ${got[i]}, cpu ${want[i]}`);
      }
      check(got[19]! < got[0]!, `loss went from ${got[0]} to ${got[19]}`);
    },
  },
  {
    name: 'dataSync() of a GPU tensor says to use await data()',
    run: async ({ gpu: e }) => {
      const y = relu(
        matMul(createTensor(e, values(4, 10), [2, 2]), createTensor(e, values(4, 11), [2, 2])),
      );
      let message = '';
      try {
        y.dataSync();
      } catch (err) {
        message = (err as Error).message;
      }
      check(/await t\.data\(\)/.test(message), `dataSync() threw '${message}'`);
      await y.data();
    },
  },
];
