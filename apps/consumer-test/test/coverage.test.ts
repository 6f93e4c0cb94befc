import { readFileSync } from 'node:fs';
import { createTensor } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import {
  computeCoverage,
  coverageEngine,
  coverageProblems,
  probeOp,
  renderCoverage,
  type Coverage,
} from '../../../scripts/coverage/matrix.ts';

const page = new URL('../../../docs/coverage.md', import.meta.url);

describe('coverage matrix (docs/coverage.md, generated from the registries)', () => {
  let cov: Coverage;
  it('computes', async () => {
    cov = await computeCoverage();
    expect(cov.ops.length).toBeGreaterThan(100);
  });

  it('every differentiable op has a gradient, and every gradient probe passes to second order', () => {
    expect(coverageProblems(cov)).toEqual([]);
  });

  it('ops without a gradient are the nondifferentiable ones, each with a reason', () => {
    const noGrad = cov.ops.filter((o) => o.gradient === 'n/a');
    for (const o of noGrad) expect(o.nondifferentiableReason, o.op).toBeTruthy();
  });

  it('docs/coverage.md is up to date (run `pnpm docs:coverage` and commit it)', async () => {
    expect(readFileSync(page, 'utf8')).toBe(await renderCoverage(cov));
  });

  it('the second-order probe catches a gradient that is not differentiable', async () => {
    const { engine } = await coverageEngine();
    expect(probeOp(engine, 'Sin')).toEqual({ first: 'ok', second: 'ok' });
    // Right first derivative, computed outside the tape: its own derivative is lost.
    engine.registerGradient('Sin', (dy, ctx) => {
      const x = ctx.inputs[0]!;
      return dy.mul(createTensor(engine, Array.from(x.dataSync(), Math.cos), x.shape, x.dtype));
    });
    const r = probeOp(engine, 'Sin');
    expect(r.first).toBe('ok');
    expect(r.second).toMatch(/^fail/);
  });
});
