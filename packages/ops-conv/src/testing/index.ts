/**
 * The conv family's conformance suite: every backend runs it in its own tests, so CPU,
 * WASM and WebGPU are held to the same numbers.
 *
 *   convConformance({
 *     backend: 'cpu',
 *     createEngine: () => createEngine({ ops: [math, conv], backends: [cpu()] }),
 *   });
 */
import type { ConformanceConfig, SuiteContext } from '@tapegrad/ops-math/testing';
import { makeContext } from '@tapegrad/ops-math/testing';
import { beforeAll, describe } from 'vitest';
import { convSuite } from './conv.js';
import { errorSuite } from './errors.js';
import { poolSuite } from './pool.js';

export * from './reference.js';
export type { ConformanceConfig } from '@tapegrad/ops-math/testing';

export function convConformance(config: ConformanceConfig): void {
  describe(`ops-conv conformance on ${config.backend}`, () => {
    // Filled before the tests run (engine creation may be async, e.g. WebGPU).
    const ctx = {} as SuiteContext;
    beforeAll(async () => {
      Object.assign(ctx, makeContext(await config.createEngine(), config.backend));
    });
    convSuite(ctx);
    poolSuite(ctx);
    errorSuite(ctx);
  });
}
