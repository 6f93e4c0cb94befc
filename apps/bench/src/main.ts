/**
 * tapegrad benchmarks: tapegrad (cpu) against tfjs-core + tfjs-backend-cpu in one
 * process on the same inputs, plus PyTorch (1 thread) when /usr/bin/python3 has it.
 *
 *   tsx src/main.ts [--only <substring>] [--reps N] [--warmup N] [--quick] [--no-torch] [--json <file>]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchInterleaved } from './harness.js';
import { initTapegrad, initTfjs, tf, tg } from './libs.js';
import type { LibResult, Row } from './table.js';
import { checksAgree, formatNotes, formatTable } from './table.js';
import { probeTorch, runTorch } from './torch.js';
import type { Library, Runner, Workload } from './workload.js';
import { convWorkloads } from './workloads/conv.js';
import { denseGradWorkloads } from './workloads/dense-grad.js';
import { dispatchWorkloads } from './workloads/dispatch.js';
import { elementwiseWorkloads } from './workloads/elementwise.js';
import { matMulWorkloads } from './workloads/matmul.js';
import { mlpWorkloads } from './workloads/mlp.js';

interface Options {
  only?: string;
  reps: number;
  warmup: number;
  torch: boolean;
  /** Also write every result (stats and check values) as JSON here. */
  json?: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: tsx src/main.ts [--only <substring>] [--reps N] [--warmup N] [--quick] [--no-torch]',
    );
    process.exit(0);
  }
  const int = (s: string | undefined, name: string, fallback: number): number => {
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got '${s}'`);
    return n;
  };
  const quick = values.quick;
  return {
    only: values.only,
    reps: Math.max(1, int(values.reps, 'reps', quick ? 3 : 15)),
    warmup: int(values.warmup, 'warmup', quick ? 1 : 3),
    torch: !values['no-torch'],
    json: values.json,
  };
}

/** Timed-sample budget per library and workload: slow rows stop early (at least 3 samples). */
const BUDGET_MS = 15_000;
/** Minimum warm-up time per library and workload (on top of --warmup iterations). */
const WARMUP_MS = 500;

const numTensors: Record<Library, () => number> = {
  tapegrad: () => tg.memory().numTensors,
  tfjs: () => tf.memory().numTensors,
};

const LIBRARIES: readonly Library[] = ['tapegrad', 'tfjs'];

/**
 * Sets up each library's runner, checks it, then times them with interleaved samples,
 * watching each library's live-tensor count across the timed iterations and dispose.
 */
function measureWorkload(w: Workload, options: Options, warnings: string[]): Row {
  const label = (lib: Library) => `${w.group}: ${w.name} [${lib}]`;
  const results = {} as Record<Library, LibResult>;
  const live = new Map<Library, { runner: Runner; before: number; afterCheck: number }>();
  for (const lib of LIBRARIES) {
    const before = numTensors[lib]();
    let runner: Runner | undefined;
    try {
      runner = w.setup[lib]();
      const check = runner.check();
      results[lib] = { check };
      live.set(lib, { runner, before, afterCheck: numTensors[lib]() });
    } catch (e) {
      results[lib] = { error: errorMessage(e) };
      if (runner) dispose(lib, runner, before, label(lib), warnings);
    }
  }
  // A library whose run throws stops being timed; the others go on.
  const failed = new Map<Library, unknown>();
  const guarded = (lib: Library, runner: Runner) => () => {
    if (failed.has(lib)) return;
    try {
      runner.run();
    } catch (e) {
      failed.set(lib, e);
    }
  };
  try {
    const fns = Object.fromEntries(
      [...live].map(([lib, { runner }]) => [lib, guarded(lib, runner)]),
    );
    const stats = benchInterleaved(fns, {
      warmup: options.warmup,
      warmupMs: WARMUP_MS,
      reps: options.reps,
      budgetMs: BUDGET_MS,
    });
    for (const [lib, { afterCheck }] of live) {
      if (failed.has(lib)) {
        results[lib] = { ...results[lib], error: errorMessage(failed.get(lib)) };
        continue;
      }
      results[lib].stats = stats[lib];
      const grown = numTensors[lib]() - afterCheck;
      if (grown > 0) {
        warnings.push(
          `${label(lib)}: leaked ${grown} tensors over the warm-up and ${stats[lib]!.reps} timed iterations`,
        );
      }
    }
  } finally {
    for (const [lib, { runner, before }] of live)
      dispose(lib, runner, before, label(lib), warnings);
  }
  return { workload: w, tapegrad: results.tapegrad, tfjs: results.tfjs };
}

function dispose(
  lib: Library,
  runner: Runner,
  before: number,
  label: string,
  warnings: string[],
): void {
  try {
    runner.dispose();
  } catch (e) {
    warnings.push(`${label}: dispose failed: ${errorMessage(e)}`);
  }
  const after = numTensors[lib]();
  if (after > before)
    warnings.push(`${label}: ${after - before} tensors still alive after dispose`);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

async function main(): Promise<void> {
  const options = parseOptions();
  await initTfjs();
  await initTapegrad();

  const all = [
    ...matMulWorkloads(),
    ...denseGradWorkloads(),
    ...mlpWorkloads(),
    ...convWorkloads(),
    ...elementwiseWorkloads(),
    ...dispatchWorkloads(),
  ];
  const only = options.only?.toLowerCase();
  const workloads = only
    ? all.filter((w) => `${w.group} ${w.name}`.toLowerCase().includes(only))
    : all;
  if (workloads.length === 0) throw new Error(`--only '${options.only}' matches no workload`);

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`# tapegrad benchmarks, ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus().length} cores (${cpu}), tfjs-core ${tf.version_core} on '${tf.getBackend()}', ` +
      `tapegrad on '${tg.getBackend()}'; warmup ${options.warmup}, reps ${options.reps}, median reported; ` +
      `load average ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log();

  const warnings: string[] = [];
  const rows: Row[] = [];
  for (const w of workloads) {
    process.stderr.write(`running ${w.group}: ${w.name} ...`);
    const row = measureWorkload(w, options, warnings);
    rows.push(row);
    const ratio =
      row.tapegrad.stats && row.tfjs.stats
        ? row.tfjs.stats.medianMs / row.tapegrad.stats.medianMs
        : NaN;
    process.stderr.write(
      Number.isFinite(ratio) ? ` tfjs/tapegrad ${ratio.toFixed(2)}×\n` : ' (error)\n',
    );
  }

  let torchVersion: string | null = null;
  if (options.torch) {
    const probe = probeTorch();
    if (probe.version === null) console.log(`PyTorch skipped: ${probe.reason}.\n`);
    else {
      process.stderr.write(`running PyTorch ${probe.version} (1 thread) ...\n`);
      try {
        const torch = runTorch(workloads, options.warmup, options.reps, BUDGET_MS, WARMUP_MS);
        torchVersion = torch.version;
        for (const row of rows) row.torch = torch.results.get(row.workload);
      } catch (e) {
        console.log(`PyTorch failed: ${errorMessage(e)}\n`);
      }
    }
  } else console.log('PyTorch skipped (--no-torch).\n');
  if (torchVersion) console.log(`PyTorch ${torchVersion}, torch.set_num_threads(1)\n`);

  console.log(formatTable(rows, torchVersion !== null));
  console.log('\nRatios are median(peer) / median(tapegrad): above 1 means tapegrad is faster.');

  const notes = formatNotes(rows);
  if (notes.length > 0) console.log(`\nNotes:\n${notes.join('\n')}`);
  for (const warning of warnings) console.warn(`WARNING: ${warning}`);
  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          cores: cpus().length,
          torch: torchVersion,
          rows: rows.map(({ workload: w, ...libs }) => ({ group: w.group, name: w.name, ...libs })),
          warnings,
        },
        null,
        2,
      ),
    );
  }

  const failed =
    rows.some((r) => r.tapegrad.error !== undefined || checksAgree(r, r.tfjs) === false) ||
    warnings.some((w) => w.includes('[tapegrad]'));
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
