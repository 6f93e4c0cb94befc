/**
 * DepthwiseConv2D and its input/filter backprops in wasm (assembly/depthwise.ts), float32,
 * f32x4 over channels (multiplier 1) or over the multiplier axis, every padding, stride,
 * dilation and channel multiplier the ops accept. The forward pass and the input gradient
 * split by images among the backend's threads, the filter gradient (a float64 sum over
 * every image, in the CPU backend's order) by channels: bit-identical to one thread.
 * float64 runs the CPU kernels.
 */
import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type {
  ConvAttrs,
  ConvBackpropFilterAttrs,
  ConvBackpropInputAttrs,
} from '@tapegrad/ops-conv';
import type { WasmKernel } from '../backend.js';
import { float32Or, hosted } from './hosted.js';
import { channelParts, imageSizes, runWindowParts, windowGeometry } from './window.js';
import { SLOT } from './slots.js';

/** Output elements times filter taps of one image. */
function workPerImage(geo: readonly number[], m: number): number {
  return imageSizes(geo, geo[4]! * m).y * geo[9]! * geo[10]!;
}

const forward: WasmKernel<ConvAttrs> = ({ inputs: [x, f], attrs, outputs: [spec], backend }) => {
  const geo = windowGeometry('depthwiseConv2d', x!.shape, f!.shape.slice(0, 2), attrs);
  const m = f!.shape[3]!;
  // Every output element is written (an empty window gives 0).
  const out = backend.output(spec!);
  if (sizeFromShape(spec!.shape) === 0) return out;
  const size = imageSizes(geo, geo[4]! * m);
  const px = backend.ptr(x!);
  const pf = backend.ptr(f!);
  const py = backend.ptr(out);
  runWindowParts(backend, geo, workPerImage(geo, m), (p) => ({
    fn: 'depthwiseForward',
    args: [px + 4 * p.img0 * size.x, pf, py + 4 * p.img0 * size.y, p.geo, m, p.taps],
  }));
  return out;
};

const backpropInput: WasmKernel<ConvBackpropInputAttrs> = ({
  inputs: [dy, f],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const geo = windowGeometry(
    'depthwiseConv2DBackpropInput',
    attrs.inputShape,
    f!.shape.slice(0, 2),
    attrs,
  );
  const m = f!.shape[3]!;
  const dx = backend.output(spec!, true);
  if (sizeFromShape(dy!.shape) === 0 || sizeFromShape(spec!.shape) === 0) return dx;
  const size = imageSizes(geo, geo[4]! * m);
  const pdy = backend.ptr(dy!);
  const pf = backend.ptr(f!);
  const pdx = backend.ptr(dx);
  runWindowParts(backend, geo, workPerImage(geo, m), (p) => ({
    fn: 'depthwiseBackpropInput',
    args: [pdy + 4 * p.img0 * size.y, pf, pdx + 4 * p.img0 * size.x, p.geo, m, p.taps],
  }));
  return dx;
};

const backpropFilter: WasmKernel<ConvBackpropFilterAttrs> = ({
  inputs: [x, dy],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const geo = windowGeometry(
    'depthwiseConv2DBackpropFilter',
    x!.shape,
    attrs.filterShape.slice(0, 2),
    attrs,
  );
  const size = sizeFromShape(spec!.shape);
  if (size === 0 || sizeFromShape(dy!.shape) === 0) return backend.output(spec!, true);
  const m = attrs.filterShape[3]!;
  const dw = backend.output(spec!);
  const acc = backend.workspace(SLOT.depthwiseFilterSums, 8 * size);
  backend.zero(acc, size * 8);
  const px = backend.ptr(x!);
  const pdy = backend.ptr(dy!);
  const pdw = backend.ptr(dw);
  const parts = channelParts(backend, geo, geo[0]! * workPerImage(geo, m));
  backend.parallel(
    parts.map((p) => ({
      fn: 'depthwiseBackpropFilter',
      args: [px, pdy, acc, pdw, p.geo, m, p.taps, p.c0, p.c1],
    })),
  );
  return dw;
};

function withCpu(name: string, fast: WasmKernel): WasmKernel {
  return float32Or(fast, hosted(cpuKernels[name] as Kernel));
}

/** Depthwise convolution kernels (float32 in wasm). */
export const depthwiseKernels: Record<string, WasmKernel> = {
  DepthwiseConv2D: withCpu('DepthwiseConv2D', forward),
  DepthwiseConv2DBackpropInput: withCpu('DepthwiseConv2DBackpropInput', backpropInput),
  DepthwiseConv2DBackpropFilter: withCpu('DepthwiseConv2DBackpropFilter', backpropFilter),
};
