/**
 * Fused optimizer updates in wasm (assembly/optimizer.ts): AdamUpdate in one f32x4 pass over
 * the parameter, gradient and moments. Big tensors split into element ranges among the
 * backend's threads (elementwise, so bit-identical to one thread); float64 runs the CPU kernel.
 */
import { sizeFromShape } from '@tapegrad/core';
import type { AdamUpdateAttrs } from '@tapegrad/ops-math';
import { adamScalars } from '@tapegrad/ops-math';
import type { KernelCall, WasmKernel } from '../backend.js';
import { byDtype } from './elementwise.js';

/** Bytes an update moves per thread at least (~50 µs of memory traffic). */
const MIN_BYTES_PER_PART = 1 << 20;
/** AdamUpdate reads 4 and writes 3 floats per element. */
const ADAM_BYTES_PER_ELEMENT = 28;

const adamUpdate: WasmKernel<AdamUpdateAttrs> = ({ inputs, attrs, outputs, backend }) => {
  const outs = outputs.map((spec) => backend.output(spec));
  const n = sizeFromShape(outputs[0]!.shape);
  const { beta1, beta2, epsilon } = attrs;
  const { decay, stepSize, invSqrtBias2 } = adamScalars(attrs);
  const [p, g, m, v] = inputs.map((t) => backend.ptr(t));
  const [pOut, mOut, vOut] = outs.map((t) => backend.ptr(t));
  const parts = backend.partsFor(n * ADAM_BYTES_PER_ELEMENT, MIN_BYTES_PER_PART);
  // Parts of whole vectors (4 floats); the last one takes the tail.
  const step = Math.ceil(n / parts / 4) * 4;
  const calls: KernelCall[] = [];
  for (let i0 = 0; i0 < n; i0 += step) {
    const at = (ptr: number) => ptr + i0 * 4;
    calls.push({
      fn: 'adamUpdate',
      args: [
        ...[p, g, m, v, pOut, mOut, vOut].map((ptr) => at(ptr!)),
        Math.min(step, n - i0),
        beta1,
        beta2,
        decay,
        stepSize,
        invSqrtBias2,
        epsilon,
      ],
    });
  }
  backend.parallel(calls);
  return outs;
};

export const optimizerKernels: Record<string, WasmKernel> = {
  AdamUpdate: byDtype('AdamUpdate', { float32: adamUpdate }),
};
