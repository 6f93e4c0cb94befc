/**
 * Max and average pooling, 2-D and 3-D, and their gradients, in wasm (assembly/pool.ts):
 * float32, f32x4 over channels, bit-identical to the CPU backend (same argmax on ties,
 * float64 sums for the averages). float64 runs the CPU kernels on the wasm memory.
 */
import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { PoolAttrs, PoolGradAttrs } from '@tapegrad/ops-conv';
import type { WasmKernel } from '../backend.js';
import { float32Or, hosted } from './hosted.js';
import { zeroedOutput } from './layout.js';
import { shapeExports } from './shape-exports.js';
import { placeWindow, windowGeometry } from './window.js';

/** Modes of assembly/pool.ts's maxPool. */
const MAX_POOL = { forward: 0, grad: 1, gradGrad: 2 } as const;

/**
 * MaxPool (inputs [x]), MaxPoolGrad ([x, dy] → dx) and MaxPoolGradGrad ([x, g] → g at each
 * window's argmax), all through the argmax recomputed from x.
 */
function maxPoolKernel(op: string, mode: keyof typeof MAX_POOL): WasmKernel<PoolAttrs> {
  return ({ inputs: [x, other], attrs, outputs: [spec], backend }) => {
    const w = placeWindow(backend, windowGeometry(op, x!.shape, attrs.filterSize, attrs));
    const out = mode === 'grad' ? zeroedOutput(backend, spec!) : backend.output(spec!);
    if (w.positions === 0 || sizeFromShape(x!.shape) === 0) return out;
    const result = backend.ptr(out);
    const source = other ? backend.ptr(other) : result;
    shapeExports(backend).maxPool(
      backend.ptr(x!),
      w.geo,
      MAX_POOL[mode],
      mode === 'forward' ? result : source,
      result,
      w.taps,
    );
    return out;
  };
}

function avgPoolKernel(op: string): WasmKernel<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const w = placeWindow(backend, windowGeometry(op, x!.shape, attrs.filterSize, attrs));
    const out =
      sizeFromShape(x!.shape) === 0 ? zeroedOutput(backend, spec!) : backend.output(spec!);
    if (w.positions > 0 && sizeFromShape(x!.shape) > 0)
      shapeExports(backend).avgPool(backend.ptr(x!), w.geo, backend.ptr(out), w.taps);
    return out;
  };
}

function avgPoolGradKernel(op: string): WasmKernel<PoolGradAttrs> {
  return ({ inputs: [dy], attrs, outputs: [spec], backend }) => {
    const w = placeWindow(backend, windowGeometry(op, attrs.inputShape, attrs.filterSize, attrs));
    const dx = zeroedOutput(backend, spec!);
    if (w.positions > 0 && sizeFromShape(attrs.inputShape) > 0)
      shapeExports(backend).avgPoolGrad(backend.ptr(dy!), w.geo, backend.ptr(dx), w.taps);
    return dx;
  };
}

function withCpu(name: string, fast: WasmKernel): WasmKernel {
  return float32Or(fast, hosted(cpuKernels[name] as Kernel));
}

/** Pooling kernels (float32 in wasm; float64 runs the CPU kernels on the wasm memory). */
export const poolKernels: Record<string, WasmKernel> = {
  MaxPool: withCpu('MaxPool', maxPoolKernel('maxPool', 'forward')),
  MaxPoolGrad: withCpu('MaxPoolGrad', maxPoolKernel('maxPoolGrad', 'grad')),
  MaxPoolGradGrad: withCpu('MaxPoolGradGrad', maxPoolKernel('maxPoolGradGrad', 'gradGrad')),
  AvgPool: withCpu('AvgPool', avgPoolKernel('avgPool')),
  AvgPoolGrad: withCpu('AvgPoolGrad', avgPoolGradKernel('avgPoolGrad')),
  MaxPool3D: withCpu('MaxPool3D', maxPoolKernel('maxPool3d', 'forward')),
  MaxPool3DGrad: withCpu('MaxPool3DGrad', maxPoolKernel('maxPool3DGrad', 'grad')),
  MaxPool3DGradGrad: withCpu('MaxPool3DGradGrad', maxPoolKernel('maxPool3DGradGrad', 'gradGrad')),
  AvgPool3D: withCpu('AvgPool3D', avgPoolKernel('avgPool3d')),
  AvgPool3DGrad: withCpu('AvgPool3DGrad', avgPoolGradKernel('avgPool3DGrad')),
};
