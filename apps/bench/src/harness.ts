/**
 * Timing primitives: `bench(name, fn, { warmup, reps })` runs fn a few times untimed
 * (JIT warm-up, allocator warm-up), then times `reps` runs one by one and reports the
 * median (robust to GC pauses and scheduler noise) along with min and max.
 * `benchInterleaved` does the same for several fns, alternating their samples.
 */
import { performance } from 'node:perf_hooks';

export interface BenchOptions {
  /** Untimed runs before measuring. */
  warmup: number;
  /**
   * Keep warming up until this many ms have passed too (default 0): fast fns need
   * thousands of calls before the JIT settles, slow ones are warm after a few.
   */
  warmupMs?: number;
  /** Timed runs; the median is reported. */
  reps: number;
  /**
   * Time budget in ms for the timed samples: once spent, stop early (keeping at least
   * `minReps` samples), so slow rows (a 1024 matMul on a slow peer) do not take minutes.
   */
  budgetMs?: number;
  /** Samples kept at least, whatever the budget (default 3). */
  minReps?: number;
  /**
   * Per fn, untimed work before each of its calls (warm-up and timed): e.g. selecting
   * the backend that fn runs on, when several share one library.
   */
  prepare?: Record<string, () => void>;
  /**
   * Collects the young generation, untimed, before every timed sample where the process
   * exposes `gc` (`node --expose-gc`, as `pnpm bench` runs). Samples alternate between
   * libraries, and without it one library's garbage is collected during the next one's
   * samples: measured, tapegrad-wasm's conv2d forward took 18.8 ms interleaved with
   * tapegrad-cpu (whose im2col leaves ~100 MB of arrays per call) and 8.3 ms with this. A
   * full collection isolates as well but perturbs the next sample more (the MLP step: 4.3 ms
   * without any, 4.45 after a young-generation one, 4.7 after a full one).
   */
  collectGarbage?: boolean;
}

/** V8's `gc()`, where node runs with --expose-gc. */
export const exposedGc = (globalThis as { gc?: (options?: { type?: 'minor' | 'major' }) => void })
  .gc;

export interface BenchStats {
  name: string;
  /** Median milliseconds per call of fn. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  reps: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Times one fn: `warmup` untimed calls, then `reps` timed calls; reports the median. */
export function bench(name: string, fn: () => void, options: BenchOptions): BenchStats {
  return { ...benchInterleaved({ [name]: fn }, options)[name]!, name };
}

/**
 * Times several fns on the same workload with their samples interleaved (A B A B ...),
 * so that a change of machine load during the run hits every fn alike. Same rules as
 * `bench`; a fn stops sampling once its own budget is spent.
 */
export function benchInterleaved(
  fns: Record<string, () => void>,
  options: BenchOptions,
): Record<string, BenchStats> {
  const names = Object.keys(fns);
  const prepare = (name: string) => options.prepare?.[name]?.();
  for (const name of names) {
    const t0 = performance.now();
    for (let i = 0; i < options.warmup || performance.now() - t0 < (options.warmupMs ?? 0); i++) {
      prepare(name);
      fns[name]!();
    }
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const spent: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const budget = options.budgetMs ?? Infinity;
  const minReps = Math.min(options.reps, options.minReps ?? 3);
  for (let r = 0; r < Math.max(1, options.reps); r++) {
    for (const name of names) {
      if (spent[name]! > budget && r >= minReps) continue;
      prepare(name);
      if (options.collectGarbage) exposedGc?.({ type: 'minor' });
      const t0 = performance.now();
      fns[name]!();
      const dt = performance.now() - t0;
      spent[name]! += dt;
      samples[name]!.push(dt);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const s = samples[name]!;
      return [
        name,
        { name, medianMs: median(s), minMs: Math.min(...s), maxMs: Math.max(...s), reps: s.length },
      ];
    }),
  );
}

/** Deterministic float data (mulberry32), so every library gets the very same inputs. */
export function randomArray(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

/** One-hot labels [batch, classes] from a deterministic sequence of classes. */
export function oneHotArray(batch: number, classes: number, seed: number): Float32Array {
  const r = randomArray(batch, seed, 0, 1);
  const out = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++)
    out[i * classes + Math.min(classes - 1, Math.floor(r[i]! * classes))] = 1;
  return out;
}
