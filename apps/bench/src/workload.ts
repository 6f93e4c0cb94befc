/** What a workload is: one task, implemented once per library on the same inputs. */

/** One library's implementation of a workload, set up and ready to run. */
export interface Runner {
  /** One timed iteration; must finish its work synchronously (results read back). */
  run(): void;
  /**
   * A number summarising the result of one iteration (a loss, a sum), compared across
   * libraries before timing. For stateful workloads (training) it performs the first step.
   */
  check(): number;
  /** Releases everything set up. */
  dispose(): void;
}

/**
 * The runner of a training workload: `run` takes one step; `check` takes two and returns the
 * second step's loss, so the comparison covers the gradients and the first update.
 */
export function trainingRunner(step: () => number, dispose: () => void): Runner {
  return {
    run: () => void step(),
    check: () => {
      step();
      return step();
    },
    dispose,
  };
}

/** The JavaScript libraries; each runs on one or more backends (see `src/backends.ts`). */
export type Library = 'tapegrad' | 'tfjs' | 'jax';

/**
 * Thrown by a setup when the library cannot express the workload (reported as "n/a" with
 * the reason, not as a failure).
 */
export class NotExpressible extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotExpressible';
  }
}

export interface Workload {
  /** Group, e.g. 'matMul'. `--only` matches `${group} ${name}`. */
  group: string;
  name: string;
  /** Floating-point operations per iteration (for GFLOP/s). */
  flops?: number;
  /** Elementary operations per iteration (for ops/second rows, e.g. dispatch). */
  opsPerRun?: number;
  /** Key of the same workload in python/bench_torch.py, when it has one. */
  torch?: string;
  /** Relative tolerance of the cross-library check (float32 accumulation order differs). */
  rtol?: number;
  /** The inputs, by name, as handed to the PyTorch script (same bytes as the JS libraries get). */
  inputs: Record<string, { values: Float32Array; shape: number[] }>;
  /**
   * Per library. tapegrad's and tfjs's setups run on whichever backend is active (the
   * harness selects it first); jax-js's gets `jit`: wrap the computation in `jax.jit`
   * (throw `NotExpressible` where that makes no sense).
   */
  setup: {
    tapegrad: () => Runner;
    tfjs: () => Runner;
    jax: (jit: boolean) => Runner;
  };
}
