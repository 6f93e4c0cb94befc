/**
 * tapegrad's webgpu backend against @tensorflow/tfjs-backend-webgpu 4.22, in one process, on
 * the same kind of adapter (Dawn's default; SwiftShader without a GPU), on the same inputs:
 * milliseconds per run (median, samples interleaved), the ratio, and compute dispatches per run.
 *
 *   tsx src/webgpu/main.ts [--quick] [--only <substring>] [--reps N] [--warmup N] [--json <file>]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { median } from '../harness.js';
import { formatTime, relDiff } from '../table.js';
import { initWebGPU } from './setup.js';
import type { GpuRunner } from './workloads.js';
import { webgpuWorkloads } from './workloads.js';

const USAGE =
  'usage: tsx src/webgpu/main.ts [--quick] [--only <substring>] [--reps N] [--warmup N] [--json <file>]';

interface Result {
  workload: string;
  tapegradMs: number;
  tfjsMs: number;
  /** tfjs time / tapegrad time (> 1: tapegrad is faster). */
  speedup: number;
  tapegradDispatches: number;
  tfjsDispatches: number;
  check: [number, number];
  agree: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const quick = values.quick;
  const reps = Number(values.reps ?? (quick ? 3 : 10));
  const warmup = Number(values.warmup ?? (quick ? 1 : 2));
  if (!(reps >= 1) || !(warmup >= 0))
    throw new Error(`--reps and --warmup must be numbers\n${USAGE}`);

  const libs = await initWebGPU();
  console.log(
    `adapter: ${libs.adapter} | ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)} | ` +
      `${reps} reps, ${warmup} warmup${quick ? ' (--quick)' : ''}`,
  );
  const only = values.only?.toLowerCase();
  const workloads = webgpuWorkloads(quick).filter(
    (w) => !only || `${w.group} ${w.name}`.toLowerCase().includes(only),
  );
  const results: Result[] = [];
  for (const w of workloads) {
    const tg = w.tapegrad(libs.tg);
    const tf = w.tfjs();
    const dispatches = {
      tapegrad: () => libs.tgBackend.stats().dispatches,
      tfjs: () => libs.tfDispatches(),
    };
    const runners: Record<'tapegrad' | 'tfjs', GpuRunner> = { tapegrad: tg, tfjs: tf };
    const samples = { tapegrad: [] as number[], tfjs: [] as number[] };
    const perRun = { tapegrad: 0, tfjs: 0 };
    const check = { tapegrad: NaN, tfjs: NaN };
    for (const lib of ['tapegrad', 'tfjs'] as const) {
      const d0 = dispatches[lib]();
      check[lib] = await runners[lib].run();
      perRun[lib] = dispatches[lib]() - d0;
      for (let i = 1; i < warmup; i++) await runners[lib].run();
    }
    for (let r = 0; r < reps; r++) {
      for (const lib of ['tapegrad', 'tfjs'] as const) {
        const t0 = performance.now();
        await runners[lib].run();
        samples[lib].push(performance.now() - t0);
      }
    }
    tg.dispose();
    tf.dispose();
    const result: Result = {
      workload: w.name,
      tapegradMs: median(samples.tapegrad),
      tfjsMs: median(samples.tfjs),
      speedup: median(samples.tfjs) / median(samples.tapegrad),
      tapegradDispatches: perRun.tapegrad,
      tfjsDispatches: perRun.tfjs,
      check: [check.tapegrad, check.tfjs],
      agree: relDiff(check.tapegrad, check.tfjs) <= w.rtol,
    };
    results.push(result);
    console.log(
      `${w.name}: tapegrad ${formatTime(result.tapegradMs)}, tfjs ${formatTime(result.tfjsMs)} ` +
        `(${result.speedup.toFixed(2)}×), dispatches ${result.tapegradDispatches} / ${result.tfjsDispatches}` +
        (result.agree ? '' : ` — CHECK DIFFERS: ${result.check[0]} vs ${result.check[1]}`),
    );
  }
  console.log(
    '\n| workload | tapegrad-webgpu | tfjs-webgpu | tfjs / tapegrad | dispatches tapegrad / tfjs |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.workload} | ${formatTime(r.tapegradMs)} | ${formatTime(r.tfjsMs)} | ${r.speedup.toFixed(2)}× | ` +
        `${r.tapegradDispatches} / ${r.tfjsDispatches} |${r.agree ? '' : ' check differs'}`,
    );
  }
  if (values.json)
    writeFileSync(values.json, JSON.stringify({ adapter: libs.adapter, results }, null, 2));
  const bad = results.filter((r) => !r.agree);
  if (bad.length > 0) {
    console.error(`results differ between the libraries: ${bad.map((r) => r.workload).join('; ')}`);
    process.exitCode = 1;
  }
  // The device process and Dawn's in-process instance would keep the process alive.
  process.exit();
}

await main();
