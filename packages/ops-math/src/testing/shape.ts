import type { SuiteContext } from './helpers.js';

/** Conformance tests of the shape ops. */
export function shapeSuite(_ctx: SuiteContext): void {}
