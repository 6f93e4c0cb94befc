import type { EngineFlags, EngineOptions } from './engine.js';
import { Engine } from './engine.js';
import { Tensor } from './tensor.js';

let defaultEngine: Engine | null = null;

/** The engine that free functions use; `use(plugin)` fills it. */
export function getDefaultEngine(): Engine {
  return (defaultEngine ??= new Engine());
}

/** An isolated engine with its own registries, scopes and tape. */
export function createEngine(options: EngineOptions = {}): Engine {
  const engine = new Engine();
  if (options.flags) Object.assign(engine.flags, options.flags);
  for (const p of [...(options.ops ?? []), ...(options.backends ?? []), ...(options.plugins ?? [])])
    engine.use(p);
  return engine;
}

/** The engine of the first tensor among `values`, else the default engine. */
export function engineOf(...values: unknown[]): Engine {
  for (const v of values) {
    if (v instanceof Tensor) return v.engine;
    if (Array.isArray(v)) for (const w of v) if (w instanceof Tensor) return w.engine;
  }
  return getDefaultEngine();
}

export type { EngineFlags };
