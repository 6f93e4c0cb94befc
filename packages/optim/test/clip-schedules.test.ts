import type { Tensor } from '@tapegrad/core';
import { memory, tensor, use } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math } from '@tapegrad/ops-math';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clipByGlobalNorm,
  clipByNorm,
  cosineDecay,
  exponentialDecay,
  stepDecay,
  train,
  warmup,
} from '../src/index.js';

beforeAll(() => {
  use(math);
  use(cpu());
});

const vals = (t: Tensor) => Array.from(t.dataSync());
const close = (got: number[], want: number[]) =>
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 6));

describe('gradient clipping (TF formulas)', () => {
  it('clipByNorm scales down only when ‖t‖ exceeds clipNorm', () => {
    close(vals(clipByNorm(tensor([3, 4]), 1)), [0.6, 0.8]);
    close(vals(clipByNorm(tensor([3, 4]), 10)), [3, 4]);
    expect(() => clipByNorm(tensor([1]), 0)).toThrow(/clipNorm must be a positive number/);
  });

  it('clipByGlobalNorm scales every gradient by clipNorm / max(globalNorm, clipNorm) and returns the norm', () => {
    const [clipped, norm] = clipByGlobalNorm({ a: tensor([3]), b: tensor([4]) }, 2.5);
    close(vals(norm), [5]);
    close(vals(clipped.a), [1.5]);
    close(vals(clipped.b), [2]);
    const [list, n2] = clipByGlobalNorm([tensor([1, 2]), tensor([2])], 10);
    close(vals(n2), [3]);
    close(vals(list[0]!), [1, 2]);
    close(vals(list[1]!), [2]);
  });

  it('train.clipByValue clips a set of gradients elementwise and leaves no temporaries', () => {
    const g = { w: tensor([-2, 0.5, 3]) };
    const before = memory().numTensors;
    const clipped = train.clipByValue(g, -1, 1);
    expect(memory().numTensors).toBe(before + 1);
    close(vals(clipped.w), [-1, 0.5, 1]);
    expect(() => train.clipByValue(g, 1, -1)).toThrow(/min \(1\) must not exceed max \(-1\)/);
  });
});

describe('learning-rate schedules', () => {
  it('exponentialDecay, continuous and staircase', () => {
    const s = exponentialDecay(0.1, 10, 0.5);
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(s(10)).toBeCloseTo(0.05, 12);
    expect(exponentialDecay(0.1, 10, 0.5, true)(15)).toBeCloseTo(0.05, 12);
  });

  it('cosineDecay reaches alpha·lr at decaySteps and stays there', () => {
    const s = cosineDecay(1, 10);
    expect([s(0), s(5), s(10), s(20)].map((v) => +v.toFixed(12))).toEqual([1, 0.5, 0, 0]);
    expect(cosineDecay(1, 10, 0.1)(10)).toBeCloseTo(0.1, 12);
  });

  it('stepDecay multiplies by gamma every stepSize steps', () => {
    const s = stepDecay(1, 3, 0.5);
    expect([0, 1, 2, 3, 6].map(s)).toEqual([1, 1, 1, 0.5, 0.25]);
  });

  it('warmup ramps linearly, then hands over to the schedule from its step 0', () => {
    const w = warmup(1, 4);
    expect([0, 2, 4, 10].map(w)).toEqual([0, 0.5, 1, 1]);
    const chained = warmup(stepDecay(1, 2, 0.1), 2, 0.5);
    expect([0, 1, 2, 3].map(chained)).toEqual([0.5, 0.75, 1, 1]);
    expect(chained(4)).toBeCloseTo(0.1, 12);
    expect(() => warmup(1, 0)).toThrow(/warmupSteps must be positive/);
  });

  it('an optimizer follows its schedule', () => {
    const opt = train.sgd(stepDecay(1, 1, 0.5));
    const v = tensor([0]);
    const w = v.engine.variable(v, true, 'scheduled');
    for (let i = 0; i < 3; i++) opt.applyGradients({ scheduled: tensor([1]) });
    close(vals(w), [-(1 + 0.5 + 0.25)]);
  });
});
