/** The libraries under comparison, initialised once, in this one process. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as jax from '@jax-js/jax';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tg from 'tapegrad';

const require = createRequire(import.meta.url);

// tfjs-core's Node entry registers no gradients (the union package @tensorflow/tfjs
// does). Its ESM build uses directory imports that Node's ESM loader refuses, so it is
// required (tsx transpiles it); the gradient registry is global, shared with tfjs-core.
require('@tensorflow/tfjs-core/dist/register_all_gradients');

export { jax, tf, tg };
export const np = jax.numpy;

export interface TfjsInfo {
  /** XNNPACK threads of tfjs-backend-wasm (1: it disables threads in Node). */
  wasmThreads: number;
  wasmSimd: boolean;
  wasmMultithreadSupported: boolean;
}

/**
 * tfjs in production mode (its fastest configuration), both backends initialised:
 * tfjs-backend-cpu, and tfjs-backend-wasm (XNNPACK, SIMD). The harness switches between
 * them with `tf.setBackend` (synchronous once initialised).
 *
 * tfjs-backend-wasm cannot find its `.wasm` binaries by itself when loaded in Node through
 * a package manager's layout: `setWasmPaths` must point at the package's `dist/` folder
 * before the backend initialises. (tapegrad's wasm backend embeds its module: nothing to
 * configure.) Its flag WASM_HAS_MULTITHREAD_SUPPORT is false in Node (tfjs#3830), so it
 * loads the SIMD, single-threaded binary.
 */
export async function initTfjs(): Promise<TfjsInfo> {
  tf.enableProdMode();
  const wasmDir = dirname(
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
  );
  setWasmPaths(`${wasmDir}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialise');
  const info: TfjsInfo = {
    wasmThreads: getThreadsCount(),
    wasmSimd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
    wasmMultithreadSupported: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean,
  };
  await tf.setBackend('cpu');
  await tf.ready();
  return info;
}

/**
 * tapegrad's default engine ('tapegrad' registers wasm, then cpu); both initialised, the
 * wasm backend's kernels on `threads` threads (the main thread and `threads − 1` workers).
 * Returns the number of threads the wasm backend runs on.
 */
export async function initTapegrad(threads = 1): Promise<number> {
  await tg.ready();
  await tg.setBackend('cpu');
  await tg.setBackend('wasm');
  const wasm = tg.getDefaultEngine().findBackend('wasm') as tg.WasmBackend;
  wasm.setThreadsCount(threads);
  return wasm.activeThreads();
}

/**
 * jax-js on its wasm device. In Node it runs every kernel on the main thread: its worker
 * pool needs a global `Worker` (browsers), which Node does not have.
 */
export async function initJax(): Promise<void> {
  const devices = await jax.init('wasm');
  if (!devices.includes('wasm')) throw new Error('jax-js: the wasm device is unavailable');
  jax.defaultDevice('wasm');
}

export function versionOf(pkg: string): string {
  // Not every package exports its package.json: walk up from its entry point.
  let dir = dirname(require.resolve(pkg));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === pkg) return json.version ?? '?';
    } catch {
      // keep walking up
    }
  }
  return '?';
}

export function tgTensor(values: Float32Array, shape: number[]): tg.Tensor {
  return tg.tensor(values, shape);
}

export function tfTensor(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}

export function jxArray(values: Float32Array, shape: number[]): jax.Array {
  return np.array(values).reshape(shape);
}

/**
 * Reads a float32 jax-js array back (realising it: queued kernels run) and consumes it,
 * as `dataSync()` does.
 */
export function jxData(a: jax.Array): Float32Array {
  // DataArray (its declared type) includes types the lint's type-checker cannot resolve.
  const data: unknown = a.dataSync();
  return data as Float32Array;
}

/**
 * `fn`, or `jax.jit(fn)`: with `dispose()` either way (a jitted function holds its
 * compiled kernels and traced constants).
 */
export function maybeJit<F extends (...args: jax.Array[]) => jax.JsTree<jax.Array>>(
  fn: F,
  jit: boolean,
): { fn: F; dispose: () => void } {
  if (!jit) return { fn, dispose: () => {} };
  const jitted = jax.jit(fn);
  return { fn: jitted as unknown as F, dispose: () => jitted.dispose() };
}

/**
 * Reads a float32 result of tfjs inside a tidy without returning it from the tidy: tfjs's
 * tidy walks every key of what its function returns looking for tensors, which for a 1M
 * element typed array costs ~1 s (and would be timed as tfjs's).
 */
export function tfRead(fn: () => tf.Tensor): Float32Array {
  let out: Float32Array | undefined;
  tf.tidy(() => {
    out = fn().dataSync() as Float32Array;
  });
  return out!;
}

/** Sum of squares in float64: a cancellation-free summary for cross-library checks. */
export function sumSq(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return s;
}

/** Permutes the axes of a dense row-major array (layout changes done once, outside timing). */
export function permute(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const strides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d]! * strides[d]!;
    out[o] = values[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}
