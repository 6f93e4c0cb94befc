import type { OpDef } from '@tapegrad/core';

export const linalgOps: OpDef[] = [];

export const linalgMethods = {};
