/**
 * An engine on which the conv family must run its WGSL kernels: the host (CPU) kernels of
 * those ops are replaced by ones that throw unless a float64 tensor is involved (float64 has
 * no WGSL type, so it stays on the host by design).
 */
import type { Engine, Kernel } from '@tapegrad/core';
import { createEngine } from '@tapegrad/core';
import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { webgpu } from '../src/index.js';

/** The ops of @tapegrad/ops-conv that have WGSL kernels. */
export const CONV_FAMILY_OPS = [
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'Conv3D',
  'Conv3DBackpropInput',
  'Conv3DBackpropFilter',
  'DepthwiseConv2D',
  'DepthwiseConv2DBackpropInput',
  'DepthwiseConv2DBackpropFilter',
  'MaxPool',
  'AvgPool',
  'MaxPool3D',
  'AvgPool3D',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'MaxPool3DGrad',
  'AvgPool3DGrad',
  'MaxPoolGradGrad',
  'MaxPool3DGradGrad',
] as const;

function float64Only(name: string, kernel: Kernel): Kernel {
  return (args) => {
    if (![...args.inputs, ...args.outputs].some((t) => t.dtype === 'float64')) {
      throw new Error(`${name}: the host kernel ran for a float32/int32 op on webgpu`);
    }
    return kernel(args);
  };
}

/** math + conv on webgpu (active) whose conv-family host kernels only accept float64; cpu registered too. */
export async function wgslConvEngine(): Promise<Engine> {
  const hostKernels: Record<string, Kernel> = { ...cpuKernels };
  for (const name of CONV_FAMILY_OPS) hostKernels[name] = float64Only(name, cpuKernels[name]!);
  const engine = createEngine({
    ops: [math, conv],
    backends: [webgpu({ hostKernels }), cpu()],
  });
  engine.flags.fallback = 'error';
  await engine.setBackend('webgpu');
  return engine;
}
