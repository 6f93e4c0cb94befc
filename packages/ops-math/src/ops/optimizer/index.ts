import type { OpDef } from '@tapegrad/core';
import { AdamUpdateOp, adamScalars, adamUpdate } from './adam-update.js';
import { MomentumUpdateOp, momentumUpdate } from './momentum-update.js';
import { RMSPropUpdateOp, rmspropState, rmspropUpdate } from './rmsprop-update.js';

export { adamScalars, adamUpdate, momentumUpdate, rmspropState, rmspropUpdate };
export type { AdamScalars, AdamUpdateAttrs, AdamUpdateOptions } from './adam-update.js';
export type { MomentumUpdateAttrs } from './momentum-update.js';
export type { RMSPropUpdateAttrs, RMSPropUpdateOptions } from './rmsprop-update.js';

export const optimizerOps: OpDef[] = [AdamUpdateOp, MomentumUpdateOp, RMSPropUpdateOp];
