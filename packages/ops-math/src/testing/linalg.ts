import type { SuiteContext } from './helpers.js';

/** Conformance tests of the linalg ops. */
export function linalgSuite(_ctx: SuiteContext): void {}
