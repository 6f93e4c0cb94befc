import type { EngineFlags, EngineOptions } from './engine.js';
import { Engine } from './engine.js';
import { Tensor } from './tensor.js';

let defaultEngine: Engine | null = null;

/**
 * The engine that free functions use; `use(plugin)` fills it.
 *
 * @example
 * ```ts
 * const engine = getDefaultEngine();
 * console.log(engine.ops.has('Add')); // true (the tapegrad package registered the math ops)
 * ```
 */
export function getDefaultEngine(): Engine {
  return (defaultEngine ??= new Engine());
}

/**
 * An isolated engine with its own registries, scopes and tape.
 *
 * @example
 * ```ts
 * import { math } from '@tapegrad/ops-math';
 * import { cpu } from '@tapegrad/backend-cpu';
 * const engine = createEngine({ ops: [math], backends: [cpu()] });
 * const x = createTensor(engine, [1, 2]);
 * x.add(x).print(); // [2, 4]
 * console.log(engine.memory().numTensors); // 2
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const engine = new Engine();
  if (options.flags) Object.assign(engine.flags, options.flags);
  for (const p of [...(options.ops ?? []), ...(options.backends ?? []), ...(options.plugins ?? [])])
    engine.use(p);
  return engine;
}

/**
 * The engine of the first tensor among `values`, else the default engine.
 *
 * @example
 * ```ts
 * const x = tensor([1]);
 * console.log(engineOf(x) === getDefaultEngine()); // true
 * ```
 */
export function engineOf(...values: unknown[]): Engine {
  for (const v of values) {
    if (v instanceof Tensor) return v.engine;
    if (Array.isArray(v)) for (const w of v) if (w instanceof Tensor) return w.engine;
  }
  return getDefaultEngine();
}

export type { EngineFlags };
