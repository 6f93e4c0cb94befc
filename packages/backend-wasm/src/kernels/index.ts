import { cpuKernels } from '@tapegrad/backend-cpu';
import type { WasmKernel } from '../backend.js';
import { binaryMathKernels } from './binary-math.js';
import { compareKernels } from './compare.js';
import { convKernels } from './conv.js';
import { depthwiseKernels } from './depthwise.js';
import { elementwiseKernels } from './elementwise.js';
import { gatherKernels } from './gather.js';
import { hosted } from './hosted.js';
import { layoutKernels } from './layout.js';
import { matmulKernels } from './matmul.js';
import { optimizerKernels } from './optimizer.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { scanKernels } from './scan.js';
import { transcendentalKernels } from './transcendental.js';

/** Ops with WebAssembly (SIMD) kernels for float32; their other dtypes run the CPU kernels on the wasm memory. */
export const acceleratedKernels: Record<string, WasmKernel> = {
  ...matmulKernels,
  ...elementwiseKernels,
  ...reduceKernels,
  ...transcendentalKernels,
  ...compareKernels,
  ...binaryMathKernels,
  ...scanKernels,
  ...convKernels,
  ...layoutKernels,
  ...gatherKernels,
  ...poolKernels,
  ...depthwiseKernels,
  ...optimizerKernels,
};

/** Names of the ops this backend accelerates (float32). */
export const WASM_ACCELERATED_OPS: readonly string[] = Object.keys(acceleratedKernels).sort();

/** Every CPU kernel the wasm backend does not accelerate, run on the wasm memory (no data moves). */
export const hostedKernels: Record<string, WasmKernel> = Object.fromEntries(
  Object.entries(cpuKernels)
    .filter(([name]) => !(name in acceleratedKernels))
    .map(([name, kernel]) => [name, hosted(kernel)]),
);

/** Names of the ops whose wasm kernel is the CPU backend's kernel (shrinks as kernels are ported). */
export const WASM_HOSTED_OPS: readonly string[] = Object.keys(hostedKernels).sort();
