/**
 * Max and average pooling, 2-D and 3-D, and their gradients, in wasm (assembly/pool.ts):
 * float32, f32x4 over channels, bit-identical to the CPU backend (same argmax on ties,
 * float64 sums for the averages), split by images among the backend's threads. float64
 * runs the CPU kernels on the wasm memory.
 */
import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { PoolAttrs, PoolGradAttrs } from '@tapegrad/ops-conv';
import type { WasmKernel } from '../backend.js';
import { float32Or, hosted } from './hosted.js';
import { imageSizes, runWindowParts, windowGeometry } from './window.js';

/** Modes of assembly/pool.ts's maxPool. */
const MAX_POOL = { forward: 0, grad: 1, gradGrad: 2 } as const;

/** Output elements times window taps of one image: the work a thread takes per image. */
function workPerImage(geo: readonly number[]): number {
  return imageSizes(geo).y * geo[8]! * geo[9]! * geo[10]!;
}

/**
 * MaxPool (inputs [x]), MaxPoolGrad ([x, dy] → dx) and MaxPoolGradGrad ([x, g] → g at each
 * window's argmax), all through the argmax recomputed from x.
 */
function maxPoolKernel(op: string, mode: keyof typeof MAX_POOL): WasmKernel<PoolAttrs> {
  return ({ inputs: [x, other], attrs, outputs: [spec], backend }) => {
    const geo = windowGeometry(op, x!.shape, attrs.filterSize, attrs);
    const out = mode === 'grad' ? backend.output(spec!, true) : backend.output(spec!);
    const size = imageSizes(geo);
    if (size.y * geo[0]! === 0 || sizeFromShape(spec!.shape) === 0) return out;
    const px = backend.ptr(x!);
    const po = backend.ptr(out);
    // a: y (forward), dy (grad) or g (grad-grad); b: dx or the output.
    const pa = mode === 'forward' ? po : backend.ptr(other!);
    const aImage = mode === 'gradGrad' ? size.x : size.y;
    const bImage = mode === 'grad' ? size.x : size.y;
    runWindowParts(backend, geo, workPerImage(geo), (p) => ({
      fn: 'maxPool',
      args: [
        px + 4 * p.img0 * size.x,
        p.geo,
        MAX_POOL[mode],
        pa + 4 * p.img0 * aImage,
        po + 4 * p.img0 * bImage,
        p.taps,
      ],
    }));
    return out;
  };
}

function avgPoolKernel(op: string): WasmKernel<PoolAttrs> {
  return ({ inputs: [x], attrs, outputs: [spec], backend }) => {
    const geo = windowGeometry(op, x!.shape, attrs.filterSize, attrs);
    const out = backend.output(spec!);
    const size = imageSizes(geo);
    if (size.y * geo[0]! === 0) return out;
    const px = backend.ptr(x!);
    const py = backend.ptr(out);
    runWindowParts(backend, geo, workPerImage(geo), (p) => ({
      fn: 'avgPool',
      args: [px + 4 * p.img0 * size.x, p.geo, py + 4 * p.img0 * size.y, p.taps],
    }));
    return out;
  };
}

function avgPoolGradKernel(op: string): WasmKernel<PoolGradAttrs> {
  return ({ inputs: [dy], attrs, outputs: [spec], backend }) => {
    const geo = windowGeometry(op, attrs.inputShape, attrs.filterSize, attrs);
    const dx = backend.output(spec!, true);
    const size = imageSizes(geo);
    if (size.y * geo[0]! === 0 || size.x === 0) return dx;
    const pdy = backend.ptr(dy!);
    const pdx = backend.ptr(dx);
    runWindowParts(backend, geo, workPerImage(geo), (p) => ({
      fn: 'avgPoolGrad',
      args: [pdy + 4 * p.img0 * size.y, p.geo, pdx + 4 * p.img0 * size.x, p.taps],
    }));
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
