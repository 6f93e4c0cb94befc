/**
 * The math family's conformance suite: every backend runs it in its own tests,
 * so CPU, WASM and WebGPU are held to the same numbers.
 *
 *   mathConformance({ backend: 'cpu', createEngine: () => createEngine({ ops: [math], backends: [cpu()] }) });
 */
import { beforeAll, describe } from 'vitest';
import type { ConformanceConfig, SuiteContext } from './helpers.js';
import { makeContext } from './helpers.js';
import { coverageSuite } from './coverage.js';
import { elementwiseSuite } from './elementwise.js';
import { linalgSuite } from './linalg.js';
import { nnSuite } from './nn.js';
import { optimizerSuite } from './optimizer.js';
import { reductionSuite } from './reduction.js';
import { seedSuite } from './seed.js';
import { shapeSuite } from './shape.js';

export * from './helpers.js';

export function mathConformance(config: ConformanceConfig): void {
  describe(`ops-math conformance on ${config.backend}`, () => {
    // Filled before the tests run (engine creation may be async, e.g. WebGPU).
    const ctx = {} as SuiteContext;
    beforeAll(async () => {
      Object.assign(ctx, makeContext(await config.createEngine(), config.backend));
    });
    seedSuite(ctx);
    elementwiseSuite(ctx);
    reductionSuite(ctx);
    linalgSuite(ctx);
    shapeSuite(ctx);
    nnSuite(ctx);
    optimizerSuite(ctx);
    coverageSuite(ctx);
  });
}
