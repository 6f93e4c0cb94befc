import type { SuiteContext } from './helpers.js';

/** Conformance tests of the nn ops. */
export function nnSuite(_ctx: SuiteContext): void {}
