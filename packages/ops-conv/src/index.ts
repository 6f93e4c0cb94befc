import type { OpsPlugin } from '@tapegrad/core';
import { convMethods } from './methods.js';
import { convOps } from './ops/index.js';

export * from './ops/index.js';
export type { ConvMethods } from './methods.js';
export type {
  ConvAttrs,
  DimRoundingMode,
  ExplicitPadding,
  Geometry,
  PadSpec,
  PoolAttrs,
  Window3D,
  WindowAttrs,
} from './geometry.js';
export { WINDOW_FIELDS, computeGeometry, isPointwiseWindow, windowGeometry3D } from './geometry.js';

/**
 * The conv op family: `use(conv)` after `use(math)`, or
 * `createEngine({ ops: [math, conv], backends: [cpu()] })`.
 */
export const conv: OpsPlugin = {
  kind: 'ops',
  name: 'conv',
  ops: convOps,
  methods: convMethods,
  requires: ['math'],
};
