/**
 * Fused optimizer updates in wasm (assembly/optimizer.ts): AdamUpdate, MomentumUpdate and RMSPropUpdate in
 * one f32x4 pass over the parameter, gradient and state. Big tensors split into element ranges
 * among the backend's threads (elementwise, so bit-identical to one thread); float64 runs the
 * CPU kernels.
 */
import { sizeFromShape } from '@tapegrad/core';
import type { AdamUpdateAttrs, MomentumUpdateAttrs, RMSPropUpdateAttrs } from '@tapegrad/ops-math';
import { adamScalars } from '@tapegrad/ops-math';
import type { KernelCall, WasmBackend, WasmKernel } from '../backend.js';
import { byDtype, runElementRanges } from './elementwise.js';

/**
 * Runs `fn` of the module over n floats in element ranges (see `runElementRanges`): its
 * arguments are `pointers` advanced to the range, the range's length, then `scalars`.
 */
function runUpdate(
  backend: WasmBackend,
  fn: KernelCall['fn'],
  pointers: readonly number[],
  n: number,
  scalars: readonly number[],
): void {
  const buffers = pointers.filter((ptr) => ptr !== 0).length;
  runElementRanges(backend, fn, { pointers, tail: scalars }, n, n * 4 * buffers);
}

const adamUpdate: WasmKernel<AdamUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const outs = outputs.map((spec) => backend.output(spec));
  const { beta1, beta2, epsilon } = attrs;
  const { decay, stepSize, invSqrtBias2 } = adamScalars(attrs);
  runUpdate(
    backend,
    'adamUpdate',
    [...inputs, ...outs].map((t) => backend.ptr(t)),
    sizeFromShape(outputs[0]!.shape),
    [beta1, beta2, decay, stepSize, invSqrtBias2, epsilon],
  );
  return outs;
};

const momentumUpdate: WasmKernel<MomentumUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const outs = outputs.map((spec) => backend.output(spec));
  runUpdate(
    backend,
    'momentumUpdate',
    [...inputs, ...outs].map((t) => backend.ptr(t)),
    sizeFromShape(outputs[0]!.shape),
    [attrs.lr, attrs.momentum, attrs.nesterov ? 1 : 0],
  );
  return outs;
};

const rmspropUpdate: WasmKernel<RMSPropUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const outs = outputs.map((spec) => backend.output(spec));
  const { lr, decay, momentum, epsilon, centered } = attrs;
  // [param, grad, squareAvg, gradAvg?, buf?] and [param, squareAvg, gradAvg?, buf?]: absent ones are 0.
  const slots = (ts: number[], base: number) => [
    ...ts.slice(0, base + 1),
    centered ? ts[base + 1]! : 0,
    momentum > 0 ? ts[ts.length - 1]! : 0,
  ];
  runUpdate(
    backend,
    'rmspropUpdate',
    [
      ...slots(
        inputs.map((t) => backend.ptr(t)),
        2,
      ),
      ...slots(
        outs.map((t) => backend.ptr(t)),
        1,
      ),
    ],
    sizeFromShape(outputs[0]!.shape),
    [lr, decay, momentum, epsilon, centered ? 1 : 0, momentum > 0 ? 1 : 0],
  );
  return outs;
};

export const optimizerKernels: Record<string, WasmKernel> = {
  RMSPropUpdate: byDtype('RMSPropUpdate', { float32: rmspropUpdate }),
  AdamUpdate: byDtype('AdamUpdate', { float32: adamUpdate }),
  MomentumUpdate: byDtype('MomentumUpdate', { float32: momentumUpdate }),
};
