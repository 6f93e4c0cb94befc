import type { SuiteContext } from './helpers.js';

/** Conformance tests of the elementwise ops. */
export function elementwiseSuite(_ctx: SuiteContext): void {}
