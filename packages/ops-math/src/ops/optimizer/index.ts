import type { OpDef } from '@tapegrad/core';
import { AdamUpdateOp, adamScalars, adamUpdate } from './adam-update.js';

export { adamScalars, adamUpdate };
export type { AdamScalars, AdamUpdateAttrs, AdamUpdateOptions } from './adam-update.js';

export const optimizerOps: OpDef[] = [AdamUpdateOp];
