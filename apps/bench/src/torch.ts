/**
 * Optional PyTorch column: when `/usr/bin/python3 -c "import torch"` works (or
 * `$BENCH_PYTHON`'s), the same
 * workloads run in python/bench_torch.py (one thread), on the same input bytes,
 * written by this process to a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchStats } from './harness.js';
import type { Workload } from './workload.js';

/** The interpreter to look for torch in; BENCH_PYTHON overrides (a virtualenv's python, say). */
const PYTHON = process.env['BENCH_PYTHON'] ?? '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'bench_torch.py');

export interface TorchResult {
  stats?: BenchStats;
  check?: number;
  error?: string;
}

export interface TorchRun {
  version: string;
  results: Map<Workload, TorchResult>;
}

/** The torch version, or null with the reason it is unavailable. */
export function probeTorch(): { version: string | null; reason?: string } {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  if (r.error) return { version: null, reason: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) return { version: null, reason: `torch is not importable by ${PYTHON}` };
  return { version: r.stdout.trim() };
}

interface TorchJson {
  version: string;
  results: Record<
    string,
    {
      medianMs?: number;
      minMs?: number;
      maxMs?: number;
      reps?: number;
      check?: number;
      error?: string;
    }
  >;
}

export function runTorch(
  workloads: readonly Workload[],
  warmup: number,
  reps: number,
  budgetMs: number,
  warmupMs: number,
): TorchRun {
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-bench-'));
  try {
    const entries = workloads
      .filter((w) => w.torch)
      .map((w) => ({
        key: w.torch!,
        inputs: Object.fromEntries(
          Object.entries(w.inputs).map(([name, { values, shape }]) => {
            const file = join(dir, `${w.torch}-${name}.f32`);
            writeFileSync(
              file,
              new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
            );
            return [name, { file, shape }];
          }),
        ),
      }));
    const manifest = join(dir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ warmup, warmupMs, reps, budgetMs, workloads: entries }),
    );
    const r = spawnSync(PYTHON, [SCRIPT, manifest], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 << 20,
      env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (r.status !== 0)
      throw new Error(
        `bench_torch.py exited with ${r.status}${r.error ? `: ${r.error.message}` : ''}`,
      );
    const out = JSON.parse(r.stdout) as TorchJson;
    const results = new Map<Workload, TorchResult>();
    for (const w of workloads) {
      const res = w.torch ? out.results[w.torch] : undefined;
      if (!res) continue;
      if (res.error !== undefined || res.medianMs === undefined) {
        results.set(w, { error: res.error ?? 'no result' });
        continue;
      }
      results.set(w, {
        check: res.check,
        stats: {
          name: `${w.group} ${w.name} [torch]`,
          medianMs: res.medianMs,
          minMs: res.minMs ?? res.medianMs,
          maxMs: res.maxMs ?? res.medianMs,
          reps: res.reps ?? reps,
        },
      });
    }
    return { version: out.version, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
