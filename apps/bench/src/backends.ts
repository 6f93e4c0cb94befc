/**
 * The columns of the benchmark: a library on one of its backends. `--backends` picks
 * them; tapegrad-wasm is the reference every ratio is taken against.
 */
import { tf, tg } from './libs.js';
import type { Library, Runner, Workload } from './workload.js';

export const BACKENDS = [
  'tapegrad-wasm',
  'tapegrad-cpu',
  'tfjs-wasm',
  'tfjs-cpu',
  'jax-js',
  'jax-js-jit',
  'torch',
] as const;

export type BackendId = (typeof BACKENDS)[number];

/** Column headers. */
export const LABELS: Record<BackendId, string> = {
  'tapegrad-wasm': 'tapegrad-wasm',
  'tapegrad-cpu': 'tapegrad-cpu',
  'tfjs-wasm': 'tfjs-wasm',
  'tfjs-cpu': 'tfjs-cpu',
  'jax-js': 'jax-js',
  'jax-js-jit': 'jax-js jit',
  torch: 'PyTorch',
};

/** A column run in this process. */
export interface JsBackend {
  id: Exclude<BackendId, 'torch'>;
  library: Library;
  /**
   * Makes this backend the active one of its library; the harness calls it (untimed)
   * before this column's setup, each of its iterations, and its dispose.
   */
  select(): void;
  setup(w: Workload): Runner;
  /** Live tensors of the library (for leak checks), when it can say. */
  numTensors?: () => number;
}

const tgTensors = () => tg.memory().numTensors;
const tfTensors = () => tf.memory().numTensors;

/**
 * tapegrad: one engine (the default one, which `import * as tg from 'tapegrad'` users
 * get), switched with `getDefaultEngine().setBackendSync` (what `setBackend` does, synchronously). A tensor lives on the backend active when it was
 * created and ops run on the active backend, so each column's tensors stay on its own
 * backend and nothing moves between them. tfjs works the same way (`tf.setBackend` is
 * synchronous once the backend is initialised).
 */
export const JS_BACKENDS: Record<JsBackend['id'], JsBackend> = {
  'tapegrad-wasm': {
    id: 'tapegrad-wasm',
    library: 'tapegrad',
    select: () => tg.getDefaultEngine().setBackendSync('wasm'),
    setup: (w) => w.setup.tapegrad(),
    numTensors: tgTensors,
  },
  'tapegrad-cpu': {
    id: 'tapegrad-cpu',
    library: 'tapegrad',
    select: () => tg.getDefaultEngine().setBackendSync('cpu'),
    setup: (w) => w.setup.tapegrad(),
    numTensors: tgTensors,
  },
  'tfjs-wasm': {
    id: 'tfjs-wasm',
    library: 'tfjs',
    select: () => void tf.setBackend('wasm'),
    setup: (w) => w.setup.tfjs(),
    numTensors: tfTensors,
  },
  'tfjs-cpu': {
    id: 'tfjs-cpu',
    library: 'tfjs',
    select: () => void tf.setBackend('cpu'),
    setup: (w) => w.setup.tfjs(),
    numTensors: tfTensors,
  },
  // jax-js: one device (wasm); eager, and with the computation wrapped in jax.jit.
  'jax-js': { id: 'jax-js', library: 'jax', select: () => {}, setup: (w) => w.setup.jax(false) },
  'jax-js-jit': {
    id: 'jax-js-jit',
    library: 'jax',
    select: () => {},
    setup: (w) => w.setup.jax(true),
  },
};

/** Parses `--backends a,b,c` (default: all), in the canonical column order. */
export function parseBackends(list: string | undefined): BackendId[] {
  if (list === undefined) return [...BACKENDS];
  const wanted = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const name of wanted) {
    if (!(BACKENDS as readonly string[]).includes(name))
      throw new Error(`--backends: unknown backend '${name}' (known: ${BACKENDS.join(', ')})`);
  }
  if (wanted.length === 0) throw new Error('--backends: empty list');
  return BACKENDS.filter((b) => wanted.includes(b));
}
