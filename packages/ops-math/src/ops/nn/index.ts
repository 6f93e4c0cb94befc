import type { OpDef } from '@tapegrad/core';

export const nnOps: OpDef[] = [];

export const nnMethods = {};
