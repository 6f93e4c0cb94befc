import { describe, expect, it } from 'vitest';
import { mathOps } from '../index.js';
import type { SuiteContext } from './helpers.js';

/** Every op runs on the backend under test, and every differentiable op has a gradient. */
export function coverageSuite(ctx: SuiteContext): void {
  describe('coverage', () => {
    it('every op has a kernel on the active backend, a composition, or aliases its input', () => {
      const backend = ctx.engine.getBackend();
      const missing = mathOps
        .filter((op) => op.aliasInput === undefined && !op.composite)
        .filter((op) => !ctx.engine.backendsWithKernel(op.name).includes(backend))
        .map((op) => op.name);
      expect(missing).toEqual([]);
    });

    it('every differentiable op has a gradient (its own, or through its composition)', () => {
      const missing = mathOps
        .filter((op) => !op.nondifferentiable && !op.grad && !op.composite)
        .map((op) => op.name);
      expect(missing).toEqual([]);
    });
  });
}
