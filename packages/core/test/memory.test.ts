import { describe, expect, it } from 'vitest';
import { createTensor, type Tensor } from '../src/index.js';
import { add, exp, mul, refEngine, sumAll, vals } from './fixtures.js';

describe('memory: tidy, keep, dispose, memory()', () => {
  it('tidy disposes intermediates and keeps what is returned (nested structures too)', () => {
    const e = refEngine();
    const x = createTensor(e, [1, 2]);
    const before = e.memory();
    const { a, list } = e.tidy(() => {
      const t = mul(x, x);
      const u = add(t, x);
      return { a: u, list: [exp(u)] };
    });
    expect(vals(a)).toEqual([2, 6]);
    expect(e.memory().numTensors).toBe(before.numTensors + 2);
    e.dispose([a, list]);
    expect(e.memory()).toEqual(before);
  });

  it('nested tidy passes returned tensors to the outer scope', () => {
    const e = refEngine();
    const x = createTensor(e, [1]);
    const before = e.memory().numTensors;
    e.tidy(() => {
      const inner = e.tidy(() => mul(x, x));
      expect(inner.isDisposed).toBe(false);
      return undefined;
    });
    expect(e.memory().numTensors).toBe(before);
  });

  it('keep() survives tidy; errors inside tidy still clean up', () => {
    const e = refEngine();
    const x = createTensor(e, [1]);
    let kept: Tensor | undefined;
    e.tidy(() => {
      kept = e.keep(mul(x, x));
      mul(x, x);
    });
    expect(kept!.isDisposed).toBe(false);
    const before = e.memory().numTensors;
    expect(() =>
      e.tidy(() => {
        mul(x, x);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(e.memory().numTensors).toBe(before);
  });

  it('tidy works around async functions', async () => {
    const e = refEngine();
    const x = createTensor(e, [3]);
    const before = e.memory().numTensors;
    const y = await e.tidy(async () => {
      const t = mul(x, x);
      await new Promise((r) => setTimeout(r, 1));
      return add(t, x);
    });
    expect(vals(y)).toEqual([12]);
    expect(e.memory().numTensors).toBe(before + 1);
  });

  it('a `using` declaration disposes the tensor at the end of its block (Symbol.dispose)', () => {
    const e = refEngine();
    const before = e.memory().numTensors;
    let seen: Tensor | undefined;
    {
      using x = createTensor(e, [3]);
      seen = x;
      expect(e.memory().numTensors).toBe(before + 1);
    }
    expect(seen.isDisposed).toBe(true);
    expect(e.memory().numTensors).toBe(before);
  });

  it('a graph that is never backpropagated releases its saved tensors with its outputs', () => {
    const e = refEngine();
    const w = createTensor(e, [1, 2]).requiresGrad_();
    const before = e.memory();
    e.tidy(() => {
      sumAll(mul(exp(w), w));
      expect(e.memory().numSavedTensors).toBeGreaterThan(0);
    });
    expect(e.memory()).toEqual(before);
  });

  it('a training step inside tidy leaves memory() unchanged over 100 steps', () => {
    const e = refEngine();
    const w = e.variable(createTensor(e, [0.5, -0.25]), true, 'w');
    const x = createTensor(e, [1, 2]);
    const lr = createTensor(e, -0.1);
    const step = () =>
      e.tidy(() => {
        const err = add(mul(w, x), createTensor(e, -1));
        sumAll(mul(err, err)).backward();
        w.assign(add(w, mul(w.grad!, lr)));
        w.grad = null;
      });
    step();
    const before = e.memory();
    for (let i = 0; i < 100; i++) step();
    expect(e.memory()).toEqual(before);
    expect(vals(w)[0]).toBeCloseTo(1, 4);
    expect(vals(w)[1]).toBeCloseTo(0.5, 4);
  });

  it('debug mode reports tensors garbage-collected without dispose()', async () => {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const e = refEngine();
    e.flags.debug = true;
    const reports: string[] = [];
    e.leakReporter = (m) => reports.push(m);
    const numBefore = e.memory().numTensors;
    (() => {
      createTensor(e, [1, 2, 3]);
      // Tensors made inside tidy are registered with the safety net only if they escape it.
      e.tidy(() => createTensor(e, [4]));
      e.tidy(() => {
        createTensor(e, [5]);
      });
    })();
    for (let i = 0; i < 20 && reports.length < 2; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(reports.length).toBe(2);
    for (const r of reports)
      expect(r).toMatch(/made by 'tensor' was garbage-collected without dispose\(\)/);
    expect(e.memory().numTensors).toBe(numBefore);
  });
});
