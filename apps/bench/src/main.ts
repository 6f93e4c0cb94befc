/**
 * tapegrad benchmarks: tapegrad on its wasm and cpu backends against tfjs (tfjs-backend-wasm
 * and tfjs-backend-cpu), jax-js (wasm device, eager and jit) in one process on the same
 * inputs, plus PyTorch (1 thread) when /usr/bin/python3 has it.
 *
 *   tsx src/main.ts [--only <substring>] [--backends <list>] [--reps N] [--warmup N] [--quick]
 *                   [--threads N] [--no-torch] [--json <file>]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BackendId, JsBackend } from './backends.js';
import { BACKENDS, JS_BACKENDS, parseBackends } from './backends.js';
import { benchInterleaved, exposedGc } from './harness.js';
import { initJax, initTapegrad, initTfjs, tf, versionOf } from './libs.js';
import type { LibResult, Row } from './table.js';
import { checksAgree, formatNotes, formatTables, formatThroughput, referenceOf } from './table.js';
import { probeTorch, runTorch } from './torch.js';
import type { Library, Runner, Workload } from './workload.js';
import { NotExpressible } from './workload.js';
import { convWorkloads } from './workloads/conv.js';
import { denseGradWorkloads } from './workloads/dense-grad.js';
import { dispatchWorkloads } from './workloads/dispatch.js';
import { elementwiseWorkloads } from './workloads/elementwise.js';
import { matMulWorkloads } from './workloads/matmul.js';
import { mlpWorkloads } from './workloads/mlp.js';

interface Options {
  only?: string;
  backends: BackendId[];
  reps: number;
  warmup: number;
  /** Threads of tapegrad-wasm (tfjs-wasm cannot start its workers in Node: always 1). */
  threads: number;
  /** Also write every result (stats and check values) as JSON here. */
  json?: string;
}

const USAGE =
  'usage: tsx src/main.ts [--only <substring>] [--backends <list>] [--reps N] [--warmup N] [--quick] [--threads N] [--no-torch] [--json <file>]\n' +
  `  --backends: comma-separated, from ${BACKENDS.join(', ')} (default: all)`;

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      backends: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      threads: { type: 'string' },
      'no-torch': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
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
  let backends = parseBackends(values.backends);
  if (values['no-torch']) backends = backends.filter((b) => b !== 'torch');
  return {
    only: values.only,
    backends,
    reps: Math.max(1, int(values.reps, 'reps', quick ? 3 : 15)),
    warmup: int(values.warmup, 'warmup', quick ? 1 : 3),
    threads: Math.max(1, int(values.threads, 'threads', 1)),
    json: values.json,
  };
}

/** Timed-sample budget per library and workload: slow rows stop early (at least 3 samples). */
const BUDGET_MS = 15_000;
/** Minimum warm-up time per library and workload (on top of --warmup iterations). */
const WARMUP_MS = 500;

/** Live-tensor counts per library, for the libraries that can say (jax-js cannot). */
function tensorCounts(columns: readonly JsBackend[]): Map<Library, number> {
  const counts = new Map<Library, number>();
  for (const c of columns) if (c.numTensors) counts.set(c.library, c.numTensors());
  return counts;
}

/**
 * Sets up each column's runner (its backend selected first), checks it, then times the
 * columns with interleaved samples (each preceded, untimed, by selecting its backend),
 * watching each library's live-tensor count across the timed iterations and dispose.
 * Columns of one library share its count, so a leak is reported for the library's columns.
 */
function measureWorkload(w: Workload, columns: readonly JsBackend[], options: Options): Row {
  const results: Partial<Record<BackendId, LibResult>> = {};
  const live = new Map<JsBackend['id'], { column: JsBackend; runner: Runner }>();
  const before = tensorCounts(columns);
  const disposeRunner = (column: JsBackend, runner: Runner) => {
    try {
      column.select();
      runner.dispose();
    } catch (e) {
      warnings.push(`${w.group}: ${w.name} [${column.id}]: dispose failed: ${errorMessage(e)}`);
    }
  };
  for (const column of columns) {
    let runner: Runner | undefined;
    try {
      column.select();
      runner = column.setup(w);
      const check = runner.check();
      results[column.id] = { check };
      live.set(column.id, { column, runner });
    } catch (e) {
      results[column.id] =
        e instanceof NotExpressible ? { skipped: e.message } : { error: errorMessage(e) };
      if (runner) disposeRunner(column, runner);
    }
  }
  const afterCheck = tensorCounts(columns);
  // A column whose run throws stops being timed; the others go on.
  const failed = new Map<string, unknown>();
  const guarded = (id: string, runner: Runner) => () => {
    if (failed.has(id)) return;
    try {
      runner.run();
    } catch (e) {
      failed.set(id, e);
    }
  };
  try {
    const fns = Object.fromEntries([...live].map(([id, { runner }]) => [id, guarded(id, runner)]));
    const prepare = Object.fromEntries([...live].map(([id, { column }]) => [id, column.select]));
    const stats = benchInterleaved(fns, {
      warmup: options.warmup,
      warmupMs: WARMUP_MS,
      reps: options.reps,
      budgetMs: BUDGET_MS,
      prepare,
      collectGarbage: true,
    });
    for (const id of live.keys()) {
      if (failed.has(id)) results[id] = { ...results[id], error: errorMessage(failed.get(id)) };
      else results[id]!.stats = stats[id];
    }
    for (const [lib, count] of tensorCounts(columns)) {
      const grown = count - afterCheck.get(lib)!;
      if (grown > 0)
        warnings.push(
          `${w.group}: ${w.name} [${columnsOf(columns, lib)}]: leaked ${grown} tensors over the warm-up and timed iterations`,
        );
    }
  } finally {
    for (const { column, runner } of live.values()) disposeRunner(column, runner);
  }
  for (const [lib, count] of tensorCounts(columns)) {
    const grown = count - before.get(lib)!;
    if (grown > 0)
      warnings.push(
        `${w.group}: ${w.name} [${columnsOf(columns, lib)}]: ${grown} tensors still alive after dispose`,
      );
  }
  return { workload: w, results };
}

function columnsOf(columns: readonly JsBackend[], lib: Library): string {
  return columns
    .filter((c) => c.library === lib)
    .map((c) => c.id)
    .join(', ');
}

const warnings: string[] = [];

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const js = options.backends.filter((b): b is JsBackend['id'] => b !== 'torch');
  const libraries = new Set(js.map((b) => JS_BACKENDS[b].library));
  // Only the libraries of the chosen columns are initialised.
  const tfjs = libraries.has('tfjs') ? await initTfjs() : undefined;
  const tgThreads = libraries.has('tapegrad') ? await initTapegrad(options.threads) : 0;
  if (libraries.has('jax')) await initJax();
  const columns = js.map((b) => JS_BACKENDS[b]);

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
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`# tapegrad benchmarks, ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus().length} cores (${cpu}); backends: ${options.backends.join(', ')}; ` +
      `warmup ${options.warmup} (+${WARMUP_MS} ms), reps ${options.reps}, median reported; ` +
      `garbage collected before each sample: ${exposedGc ? 'yes' : 'no (run node with --expose-gc: pnpm bench does)'}; ` +
      `load average at start ${load()}`,
  );
  const versions = [
    `tapegrad (workspace; wasm on ${tgThreads} thread${tgThreads === 1 ? '' : 's'})`,
  ];
  if (tfjs) {
    versions.push(
      `tfjs-core ${tf.version_core} (prod mode), tfjs-backend-wasm ${versionOf('@tensorflow/tfjs-backend-wasm')} ` +
        `(SIMD ${tfjs.wasmSimd ? 'yes' : 'no'}, ${tfjs.wasmThreads} thread${tfjs.wasmThreads === 1 ? '' : 's'}: ` +
        `multithread support ${tfjs.wasmMultithreadSupported ? 'on' : 'off, as always in Node'})`,
    );
  }
  if (libraries.has('jax')) {
    versions.push(`@jax-js/jax ${versionOf('@jax-js/jax')} (wasm device, main thread)`);
  }
  console.log(versions.join('; '));
  console.log();

  const rows: Row[] = [];
  for (const w of workloads) {
    process.stderr.write(`running ${w.group}: ${w.name} ...`);
    const row = measureWorkload(w, columns, options);
    rows.push(row);
    const ref = referenceOf(row, options.backends);
    const base = ref ? row.results[ref]?.stats?.medianMs : undefined;
    const summary = js
      .filter((b) => b !== ref)
      .map((b) => {
        const r = row.results[b];
        if (r?.skipped !== undefined) return `${b} n/a`;
        if (r?.error !== undefined) return `${b} fails`;
        const ms = r?.stats?.medianMs;
        return ms !== undefined && base !== undefined
          ? `${b} ${(ms / base).toFixed(2)}×`
          : `${b} ?`;
      });
    process.stderr.write(` ${summary.join(', ')}\n`);
  }

  let torchVersion: string | null = null;
  if (options.backends.includes('torch')) {
    const probe = probeTorch();
    if (probe.version === null) console.log(`PyTorch skipped: ${probe.reason}.\n`);
    else {
      process.stderr.write(`running PyTorch ${probe.version} (1 thread) ...\n`);
      try {
        const torch = runTorch(workloads, options.warmup, options.reps, BUDGET_MS, WARMUP_MS);
        torchVersion = torch.version;
        for (const row of rows) {
          const r = torch.results.get(row.workload);
          if (r) row.results.torch = r;
        }
      } catch (e) {
        console.log(`PyTorch failed: ${errorMessage(e)}\n`);
      }
    }
  }
  if (torchVersion) console.log(`PyTorch ${torchVersion}, torch.set_num_threads(1)\n`);
  // Columns with no result at all (PyTorch not installed) are left out.
  const shown = options.backends.filter((b) => rows.some((r) => r.results[b] !== undefined));

  console.log(formatTables(rows, shown));
  const ref = shown.includes('tapegrad-wasm') ? 'tapegrad-wasm' : 'the first column';
  console.log(
    `\nEach cell: median time, and in parentheses median(that backend) / median(${ref}): ` +
      `above 1 means ${ref} is faster.`,
  );
  const throughput = formatThroughput(rows, shown);
  if (throughput) console.log(`\n${throughput}`);

  const notes = formatNotes(rows, shown);
  if (notes.length > 0) console.log(`\nNotes:\n${notes.join('\n')}`);
  console.log(`\nload average at the end: ${load()}`);
  for (const warning of warnings) console.warn(`WARNING: ${warning}`);
  if (options.json) {
    writeFileSync(
      options.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          cores: cpus().length,
          backends: shown,
          tfjs,
          torch: torchVersion,
          rows: rows.map(({ workload: w, results }) => ({ group: w.group, name: w.name, results })),
          warnings,
        },
        null,
        2,
      ),
    );
  }

  // Non-zero exit: a tapegrad column failed or leaked, or some backend's result differs
  // from the reference's (tapegrad-wasm).
  const failed =
    rows.some((r) => {
      const ref = referenceOf(r, shown);
      return shown.some(
        (b) =>
          (b.startsWith('tapegrad') && r.results[b]?.error !== undefined) ||
          (b !== ref && checksAgree(r, ref, r.results[b]) === false),
      );
    }) || warnings.some((w) => w.includes('tapegrad-'));
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
