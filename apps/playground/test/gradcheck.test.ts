/** The gradcheck panel's logic, in Node: inputs found in call order, float64 differences. */
import * as tg from 'tapegrad';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheckCode } from '../src/gradcheck.js';
import { findPreset } from '../src/presets.js';

describe('gradcheckCode', () => {
  beforeAll(async () => {
    await tg.setBackend('wasm');
  });

  it('checks both presets per input in float64, leaving no tensor or variable behind', () => {
    const tensors = tg.memory().numTensors;
    const variables = tg.getDefaultEngine().variables.size;
    const fxy = gradcheckCode(findPreset('fxy')!.code);
    expect(fxy).toMatchObject({ ok: true, dtype: 'float64', error: null });
    expect(fxy.rows.map((r) => [r.label, r.shape, r.ok])).toEqual([
      ['x', [], true],
      ['y', [], true],
    ]);
    // A variable is an input too (the w preset: a non-scalar cost, summed).
    const wx = gradcheckCode(findPreset('wx')!.code);
    expect(wx.rows.map((r) => [r.label, r.shape, r.ok])).toEqual([['w', [2], true]]);
    for (const r of [...fxy.rows, ...wx.rows]) expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(tg.memory().numTensors).toBe(tensors);
    expect(tg.getDefaultEngine().variables.size).toBe(variables);
  });

  it('a wrong gradient fails, only for the input it reaches', () => {
    const outcome = gradcheckCode(`
      const a = label(tg.tensor([0.5, -2]).requiresGrad_(), 'a');
      const b = label(tg.tensor([3, 1]).requiresGrad_(), 'b');
      // sign() gets Identity's gradient (1) instead of 0: ∂/∂a of sign(a)·b is wrong.
      return tg.withGradientOverride({ Sign: 'Identity' }, () => tg.sign(a).mul(b)).sum();
    `);
    expect(outcome.ok).toBe(false);
    expect(outcome.rows.map((r) => [r.label, r.ok])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    // The analytic gradient is w·b where the true one is 0 (gradCheck differentiates w·f for a
    // random w in [0.5, 1.5)): the worst error is w·3.
    expect(outcome.rows[0]!.maxAbsError).toBeGreaterThan(1.5);
    expect(outcome.rows[0]!.maxAbsError).toBeLessThan(4.5);
  });

  it('says what is wrong with code it cannot check', () => {
    expect(gradcheckCode('return tg.scalar(2).square();').error).toMatch(
      /no inputs \(mark them with requiresGrad_\(\) or make them with tg\.variable\)/,
    );
    expect(gradcheckCode('const x = tg.scalar(1).requiresGrad_();\nreturn 3;').error).toMatch(
      /must return the output tensor/,
    );
  });
});
