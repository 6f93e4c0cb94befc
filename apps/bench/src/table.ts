/** Formats results as a markdown table (paste-able into the README) plus footnotes. */
import type { BenchStats } from './harness.js';
import type { Workload } from './workload.js';

export interface LibResult {
  stats?: BenchStats;
  /** The check value (see Runner.check). */
  check?: number;
  error?: string;
}

export interface Row {
  workload: Workload;
  tapegrad: LibResult;
  tfjs: LibResult;
  torch?: LibResult;
}

export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}k`;
  return n.toFixed(0);
}

/** Relative difference of a check value against tapegrad's. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

export function checksAgree(row: Row, other: LibResult | undefined): boolean | undefined {
  const a = row.tapegrad.check;
  const b = other?.check;
  if (a === undefined || b === undefined) return undefined;
  return relDiff(a, b) <= (row.workload.rtol ?? 1e-4);
}

function timeCell(w: Workload, r: LibResult | undefined): string {
  if (!r) return '';
  if (r.error !== undefined) return 'error';
  if (!r.stats) return '';
  // Dispatch rows: time per op; others: time per iteration.
  return formatTime(w.opsPerRun ? r.stats.medianMs / w.opsPerRun : r.stats.medianMs);
}

function ratioCell(tapegrad: LibResult, other: LibResult | undefined): string {
  const a = tapegrad.stats?.medianMs;
  const b = other?.stats?.medianMs;
  if (a === undefined || b === undefined) return '';
  return `${(b / a).toFixed(2)}×`;
}

/** GFLOP/s or ops/s of each library, in column order ("–" where it has no time). */
function throughputCell(w: Workload, libs: readonly (LibResult | undefined)[]): string {
  if (!w.flops && !w.opsPerRun) return '';
  if (libs.every((r) => r?.stats === undefined)) return '';
  const parts = libs.map((r) => {
    const ms = r?.stats?.medianMs;
    if (ms === undefined) return '–';
    return w.flops ? (w.flops / (ms * 1e6)).toFixed(1) : formatCount((w.opsPerRun! / ms) * 1000);
  });
  return `${parts.join(' / ')} ${w.flops ? 'GFLOP/s' : 'ops/s'}`;
}

function checkCell(row: Row, withTorch: boolean): string {
  const others = withTorch ? [row.tfjs, row.torch] : [row.tfjs];
  const verdicts = others.map((o) => checksAgree(row, o));
  if (verdicts.every((v) => v === undefined)) return '';
  return verdicts.some((v) => v === false) ? '✗' : '✓';
}

/** The markdown table. `torch` adds the PyTorch columns. */
export function formatTable(rows: readonly Row[], torch: boolean): string {
  const header = ['workload', 'tapegrad', 'tfjs-cpu', 'tfjs/tapegrad'];
  if (torch) header.push('PyTorch (1 thread)', 'torch/tapegrad');
  header.push('throughput (tapegrad / tfjs' + (torch ? ' / torch)' : ')'), 'same result');
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
  ];
  for (const row of rows) {
    const w = row.workload;
    const cells = [
      `${w.group}: ${w.name}${w.opsPerRun ? ' (per op)' : ''}`,
      timeCell(w, row.tapegrad),
      timeCell(w, row.tfjs),
      ratioCell(row.tapegrad, row.tfjs),
    ];
    if (torch) cells.push(timeCell(w, row.torch), ratioCell(row.tapegrad, row.torch));
    const libs = torch ? [row.tapegrad, row.tfjs, row.torch] : [row.tapegrad, row.tfjs];
    cells.push(throughputCell(w, libs), checkCell(row, torch));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Errors and check mismatches, one line each. */
export function formatNotes(rows: readonly Row[]): string[] {
  const notes: string[] = [];
  for (const row of rows) {
    const label = `${row.workload.group}: ${row.workload.name}`;
    for (const [lib, r] of [
      ['tapegrad', row.tapegrad],
      ['tfjs', row.tfjs],
      ['torch', row.torch],
    ] as const) {
      if (r?.error !== undefined) notes.push(`- ${label} [${lib}]: ${r.error}`);
    }
    for (const [lib, r] of [
      ['tfjs', row.tfjs],
      ['torch', row.torch],
    ] as const) {
      if (checksAgree(row, r) === false) {
        notes.push(
          `- ${label}: tapegrad's result ${row.tapegrad.check} differs from ${lib}'s ${r!.check} ` +
            `(relative ${relDiff(row.tapegrad.check!, r!.check!).toExponential(1)} > ${row.workload.rtol ?? 1e-4})`,
        );
      }
    }
  }
  return notes;
}
