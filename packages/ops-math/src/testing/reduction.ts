import type { SuiteContext } from './helpers.js';

/** Conformance tests of the reduction ops. */
export function reductionSuite(_ctx: SuiteContext): void {}
