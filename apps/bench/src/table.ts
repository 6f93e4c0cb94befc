/** Formats results as markdown tables (paste-able into the README) plus footnotes. */
import type { BackendId } from './backends.js';
import { LABELS } from './backends.js';
import type { BenchStats } from './harness.js';
import type { Workload } from './workload.js';

export interface LibResult {
  stats?: BenchStats;
  /** The check value (see Runner.check). */
  check?: number;
  /** Setup, check or a timed iteration threw. */
  error?: string;
  /** The library cannot express the workload (NotExpressible): why. */
  skipped?: string;
}

export interface Row {
  workload: Workload;
  results: Partial<Record<BackendId, LibResult>>;
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

/** Relative difference of two check values. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

/**
 * The column every ratio and check is taken against: tapegrad-wasm, else the first
 * selected column that has a result.
 */
export function referenceOf(row: Row, backends: readonly BackendId[]): BackendId | undefined {
  if (backends.includes('tapegrad-wasm')) return 'tapegrad-wasm';
  return backends.find((b) => row.results[b]?.check !== undefined);
}

export function checksAgree(
  row: Row,
  ref: BackendId | undefined,
  other: LibResult | undefined,
): boolean | undefined {
  const a = ref ? row.results[ref]?.check : undefined;
  const b = other?.check;
  if (a === undefined || b === undefined) return undefined;
  return relDiff(a, b) <= (row.workload.rtol ?? 1e-4);
}

/** A short reason for a table cell (the full message goes to the notes). */
export function shortReason(message: string): string {
  const kernel = /Kernel '(\w+)' not registered for backend/.exec(message);
  if (kernel) return `no ${kernel[1]} kernel`;
  return message.length > 48 ? `${message.slice(0, 45)}...` : message;
}

function timeOf(w: Workload, r: LibResult): string {
  // Dispatch rows: time per op; others: time per iteration.
  return formatTime(w.opsPerRun ? r.stats!.medianMs / w.opsPerRun : r.stats!.medianMs);
}

function cell(row: Row, id: BackendId, ref: BackendId | undefined): string {
  const r = row.results[id];
  if (!r) return '';
  if (r.skipped !== undefined) return `n/a: ${r.skipped}`;
  if (r.error !== undefined) return `fails: ${shortReason(r.error)}`;
  if (!r.stats) return '';
  const time = timeOf(row.workload, r);
  const base = ref ? row.results[ref]?.stats?.medianMs : undefined;
  if (id === ref || base === undefined) return time;
  return `${time} (${(r.stats.medianMs / base).toFixed(2)}×)`;
}

function checkCell(row: Row, backends: readonly BackendId[]): string {
  const ref = referenceOf(row, backends);
  const verdicts = backends
    .filter((b) => b !== ref)
    .map((b) => checksAgree(row, ref, row.results[b]));
  if (verdicts.every((v) => v === undefined)) return '';
  return verdicts.some((v) => v === false) ? '✗' : '✓';
}

function table(header: string[], lines: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...lines.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

/**
 * One markdown table per group: median time per backend, and for every backend but the
 * reference (tapegrad-wasm) its ratio median(it) / median(tapegrad-wasm) in parentheses.
 */
export function formatTables(rows: readonly Row[], backends: readonly BackendId[]): string {
  const groups = [...new Set(rows.map((r) => r.workload.group))];
  return groups
    .map((group) => {
      const groupRows = rows.filter((r) => r.workload.group === group);
      const header = [group, ...backends.map((b) => LABELS[b]), 'same result'];
      const lines = groupRows.map((row) => {
        const ref = referenceOf(row, backends);
        const w = row.workload;
        return [
          `${w.name}${w.opsPerRun ? ' (per op)' : ''}`,
          ...backends.map((b) => cell(row, b, ref)),
          checkCell(row, backends),
        ];
      });
      return table(header, lines);
    })
    .join('\n\n');
}

/** GFLOP/s (or ops/s) per backend, for the rows that have a flop (or op) count. */
export function formatThroughput(rows: readonly Row[], backends: readonly BackendId[]): string {
  const counted = rows.filter((r) => r.workload.flops || r.workload.opsPerRun);
  if (counted.length === 0) return '';
  const header = ['throughput', ...backends.map((b) => LABELS[b])];
  const lines = counted.map((row) => {
    const w = row.workload;
    return [
      `${w.group}: ${w.name} (${w.flops ? 'GFLOP/s' : 'ops/s'})`,
      ...backends.map((b) => {
        const ms = row.results[b]?.stats?.medianMs;
        if (ms === undefined) return '–';
        return w.flops
          ? (w.flops / (ms * 1e6)).toFixed(1)
          : formatCount((w.opsPerRun! / ms) * 1000);
      }),
    ];
  });
  return table(header, lines);
}

/** Errors, n/a reasons and check mismatches, one line each. */
export function formatNotes(rows: readonly Row[], backends: readonly BackendId[]): string[] {
  const notes: string[] = [];
  for (const row of rows) {
    const label = `${row.workload.group}: ${row.workload.name}`;
    const ref = referenceOf(row, backends);
    for (const b of backends) {
      const r = row.results[b];
      if (r?.error !== undefined) notes.push(`- ${label} [${b}] fails: ${r.error}`);
      if (r?.skipped !== undefined) notes.push(`- ${label} [${b}] n/a: ${r.skipped}`);
      if (b !== ref && checksAgree(row, ref, r) === false) {
        const a = row.results[ref!]!.check!;
        notes.push(
          `- ${label}: ${b}'s result ${r!.check} differs from ${ref}'s ${a} ` +
            `(relative ${relDiff(a, r!.check!).toExponential(1)} > ${row.workload.rtol ?? 1e-4})`,
        );
      }
    }
  }
  return notes;
}
