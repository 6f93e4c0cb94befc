/**
 * The coverage matrix, computed from the registries of an engine that has every op
 * family and every importable backend: for each op, how each backend runs it, whether
 * it has a gradient, and whether that gradient is itself differentiable (probed with a
 * float64 second-order gradCheck on a tiny input where a probe exists).
 *
 * Used by scripts/coverage-matrix.ts (writes docs/coverage.md) and by the check in
 * apps/consumer-test/test/coverage.test.ts (fails on a missing gradient or a stale page).
 */
import type { Engine, OpDef, Plugin, Tensor } from '@tapegrad/core';
import { createEngine, gradCheck, grads, isFloatDtype, Random, createTensor } from '@tapegrad/core';
import { math } from '@tapegrad/ops-math';
import { conv } from '@tapegrad/ops-conv';
import { cpu } from '@tapegrad/backend-cpu';
import * as prettier from 'prettier';
import { maker, probes, type Probe } from './probes.js';

/** Backends the matrix has a column for, in order, and how to get their plugin. */
export const BACKENDS: readonly { name: string; pkg: string; factory: string }[] = [
  { name: 'cpu', pkg: '@tapegrad/backend-cpu', factory: 'cpu' },
  { name: 'wasm', pkg: '@tapegrad/backend-wasm', factory: 'wasm' },
  { name: 'webgpu', pkg: '@tapegrad/backend-webgpu', factory: 'webgpu' },
];

/**
 * Why an op carries no gradient. An op marked `nondifferentiable` that is not listed
 * here fails the check: a reviewer must say why (e.g. its output is bool or int).
 */
export const NONDIFFERENTIABLE_REASONS: Readonly<Record<string, string>> = {
  AdamUpdate: 'an optimizer step, applied outside the tape',
  MomentumUpdate: 'an optimizer step, applied outside the tape',
  RMSPropUpdate: 'an optimizer step, applied outside the tape',
  All: 'bool output',
  Any: 'bool output',
  ArgMax: 'int32 index output',
  ArgMin: 'int32 index output',
  Equal: 'bool output',
  Greater: 'bool output',
  GreaterEqual: 'bool output',
  IsFinite: 'bool output',
  IsInf: 'bool output',
  IsNaN: 'bool output',
  Less: 'bool output',
  LessEqual: 'bool output',
  LogicalAnd: 'bool inputs and output',
  LogicalNot: 'bool inputs and output',
  LogicalOr: 'bool inputs and output',
  LogicalXor: 'bool inputs and output',
  NotEqual: 'bool output',
  OneHot: 'integer indices in; piecewise constant out',
  StopGradient: 'blocks gradients by definition',
};

/** Internal ops that only appear inside gradients (backward of a public op). */
const INTERNAL = /(Backprop(Input|Filter)|Grad|GradGrad)$/;

export type BackendCell = 'kernel' | 'alias' | 'composition' | `fallback → ${string}` | 'missing';

export interface OpCoverage {
  op: string;
  family: string;
  backends: Record<string, BackendCell>;
  /** 'own' | 'composition' | 'n/a' | 'missing' */
  gradient: 'own' | 'composition' | 'n/a' | 'missing';
  nondifferentiableReason?: string;
  internal: boolean;
  /** First-order probe: 'ok' | 'n/a' | 'not probed' | 'fail: ...' */
  firstOrder: string;
  /** Second-order probe: 'ok' | 'n/a' | 'by construction' | 'fail: ...' */
  secondOrder: string;
}

export interface Coverage {
  backends: { name: string; pkg: string; available: boolean; note: string }[];
  ops: OpCoverage[];
}

async function loadBackends(): Promise<{ plugins: Plugin[]; info: Coverage['backends'] }> {
  const plugins: Plugin[] = [cpu()];
  const info: Coverage['backends'] = [
    { name: 'cpu', pkg: '@tapegrad/backend-cpu', available: true, note: 'registered' },
  ];
  for (const b of BACKENDS.slice(1)) {
    try {
      const mod = (await import(b.pkg)) as Record<string, unknown>;
      const factory = mod[b.factory];
      if (typeof factory !== 'function') {
        info.push({ ...b, available: false, note: `no \`${b.factory}()\` export yet` });
        continue;
      }
      plugins.push(factory() as Plugin);
      for (const v of Object.values(mod)) {
        // Extra kernels the package contributes to its backend (e.g. conv kernels).
        if (v && typeof v === 'object' && (v as Plugin).kind === 'kernels') plugins.push(v as Plugin);
      }
      info.push({ ...b, available: true, note: 'registered' });
    } catch (e) {
      info.push({ ...b, available: false, note: `not importable (${(e as Error).message.split('\n')[0]})` });
    }
  }
  return { plugins, info };
}

function familyOf(op: string): string {
  if (math.ops.some((d) => d.name === op)) return 'math';
  if (conv.ops.some((d) => d.name === op)) return 'conv';
  return 'core';
}

function backendCell(engine: Engine, def: OpDef, backend: string): BackendCell {
  const withKernel = engine.backendsWithKernel(def.name);
  if (withKernel.includes(backend)) return 'kernel';
  if (def.aliasInput !== undefined) return 'alias';
  if (def.composite) return 'composition';
  const other = withKernel.find((b) => b !== backend);
  return other ? `fallback → ${other}` : 'missing';
}

function short(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 120);
}

/**
 * Probes one op: analytic vs float64 finite-difference gradients of its probe, then the
 * same for each ∂f/∂xᵢ (second order). Returns 'not probed' for ops without a probe.
 */
export function probeOp(engine: Engine, op: string): { first: string; second: string } {
  const probe = probes(engine)[op];
  if (!probe) return { first: 'not probed', second: 'by construction' };
  return runProbe(engine, probe);
}

function runProbe(engine: Engine, probe: Probe): { first: string; second: string } {
  return engine.tidy(() => {
    let inputs: Tensor[];
    try {
      inputs = probe.inputs(maker(engine));
    } catch (e) {
      return { first: `fail: ${short(e)}`, second: `fail: ${short(e)}` };
    }
    let first = 'ok';
    try {
      const r = gradCheck(probe.f, inputs);
      if (!r.ok) first = `fail: max abs error ${r.maxAbsError.toExponential(1)}`;
    } catch (e) {
      first = `fail: ${short(e)}`;
    }
    let second = 'ok';
    const floatIdx = inputs.map((x, i) => (isFloatDtype(x.dtype) ? i : -1)).filter((i) => i >= 0);
    for (const i of floatIdx) {
      try {
        const y = engine.withGradMode(false, () => probe.f(...inputs));
        const rng = new Random(99);
        const dyVals = Array.from({ length: y.size }, () => 0.5 + rng.uniform());
        const r = gradCheck((...xs) => {
          const dy = createTensor(engine, dyVals, y.shape, xs[floatIdx[0]!]!.dtype);
          // Index in the float inputs, which is what grads() differentiates.
          return grads((...fx: Tensor[]) => {
            const all = [...xs];
            floatIdx.forEach((j, k) => (all[j] = fx[k]!));
            return probe.f(...all);
          })(floatIdx.map((j) => xs[j]!), dy)[floatIdx.indexOf(i)]!;
        }, inputs);
        if (!r.ok) {
          second = `fail: d/dx of ∂f/∂x${i}: max abs error ${r.maxAbsError.toExponential(1)}`;
          break;
        }
      } catch (e) {
        second = `fail: ${short(e)}`;
        break;
      }
    }
    return { first, second };
  });
}

/** An isolated engine with every op family and every importable backend (cpu active). */
export async function coverageEngine(): Promise<{ engine: Engine; info: Coverage['backends'] }> {
  const { plugins, info } = await loadBackends();
  const engine = createEngine({ ops: [math, conv], backends: [] });
  for (const p of plugins) engine.use(p);
  engine.setBackendSync('cpu');
  engine.flags.fallback = 'error';
  return { engine, info };
}

/** Builds the coverage data. `probe: false` skips the numeric gradient probes. */
export async function computeCoverage(options: { probe?: boolean } = {}): Promise<Coverage> {
  const { engine, info } = await coverageEngine();
  const table = probes(engine);
  const ops: OpCoverage[] = engine.listOps().map((name) => {
    const def = engine.ops.get(name)!;
    const backends: Record<string, BackendCell> = {};
    for (const b of info) backends[b.name] = b.available ? backendCell(engine, def, b.name) : 'missing';
    const own = engine.resolveGrad(def);
    const gradient: OpCoverage['gradient'] = def.nondifferentiable
      ? 'n/a'
      : own
        ? 'own'
        : def.composite
          ? 'composition'
          : 'missing';
    const internal = INTERNAL.test(name);
    let firstOrder = gradient === 'n/a' ? 'n/a' : 'not probed';
    let secondOrder =
      gradient === 'n/a' ? 'n/a' : gradient === 'missing' ? 'missing' : 'by construction';
    const probe = table[name];
    if (probe && gradient !== 'n/a' && options.probe !== false) {
      const r = runProbe(engine, probe);
      firstOrder = r.first;
      secondOrder = r.second;
    }
    return {
      op: name,
      family: familyOf(name),
      backends,
      gradient,
      ...(def.nondifferentiable ? { nondifferentiableReason: NONDIFFERENTIABLE_REASONS[name] } : {}),
      internal,
      firstOrder,
      secondOrder,
    };
  });
  return { backends: info, ops };
}

const CELL: Record<string, string> = {
  kernel: '✅ kernel',
  alias: '✅ alias',
  composition: '🔁 composition',
  missing: '—',
};

function backendText(c: BackendCell): string {
  return CELL[c] ?? `↪ ${c}`;
}

function gradText(o: OpCoverage): string {
  if (o.gradient === 'n/a') return `n/a (${o.nondifferentiableReason ?? 'UNEXPLAINED'})`;
  if (o.gradient === 'missing') return '❌ missing';
  const how = o.gradient === 'own' ? 'own' : 'via composition';
  return o.firstOrder === 'ok' ? `✅ ${how}, checked` : o.firstOrder === 'not probed' ? `✅ ${how}` : `❌ ${how}: ${o.firstOrder}`;
}

function secondText(o: OpCoverage): string {
  switch (o.secondOrder) {
    case 'ok':
      return '✅ checked';
    case 'n/a':
      return 'n/a';
    case 'by construction':
      return o.internal ? '✅ by construction (runs inside its parent op\'s checked 2nd order)' : '✅ by construction';
    case 'missing':
      return '❌';
    default:
      return `❌ ${o.secondOrder}`;
  }
}

/** The page docs/coverage.md, formatted as the repository's prettier would (deterministic). */
export async function renderCoverage(cov: Coverage): Promise<string> {
  const file = new URL('../../docs/coverage.md', import.meta.url).pathname;
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(renderCoverageRaw(cov), { ...options, filepath: file });
}

/** The page before formatting (no dates, no timings). */
export function renderCoverageRaw(cov: Coverage): string {
  const names = cov.backends.map((b) => b.name);
  const lines: string[] = [];
  const count = (pred: (o: OpCoverage) => boolean) => cov.ops.filter(pred).length;
  lines.push(
    '---',
    'title: Coverage matrix',
    '---',
    '',
    '# Coverage matrix',
    '',
    '<!-- Generated by scripts/coverage-matrix.ts from the registries. Do not edit by hand:',
    '     run `pnpm docs:coverage` (CI fails when this page is stale). -->',
    '',
    'Every op registered by `@tapegrad/core`, `@tapegrad/ops-math` and `@tapegrad/ops-conv`,',
    'how each backend runs it, and its gradients. This page is generated from the engine\'s',
    'registries, so it cannot drift from the code.',
    '',
    '**Backends**',
    '',
    ...cov.backends.map((b) => `- \`${b.name}\` (\`${b.pkg}\`): ${b.available ? 'registered' : b.note}`),
    '',
    '**Legend**',
    '',
    '- ✅ kernel: the backend has a dedicated kernel. ✅ alias: the output shares its input\'s',
    '  storage (no kernel needed). 🔁 composition: runs as a composition of other ops on that',
    '  backend. ↪ fallback → X: no kernel and no composition; the data moves to backend X',
    '  (warns once, or errors with `engine.flags.fallback = \'error\'`). —: backend not available.',
    '- Gradient: *own* (a gradient function written with ops) or *via composition* (the',
    '  composition is differentiated); *checked* means float64 finite differences agree on a',
    '  tiny input; n/a: the op is `nondifferentiable` (reason given).',
    '- 2nd order: *checked* means the analytic gradient of each ∂f/∂xᵢ agrees with float64',
    '  finite differences (`grad(grad(f))`); *by construction*: the gradient is written with',
    '  differentiable ops but has no probe (internal backward ops are exercised inside their',
    '  parent\'s checked second order).',
    '',
    `**Summary**: ${cov.ops.length} ops; ` +
      cov.backends
        .filter((b) => b.available)
        .map((b) => b.name)
        .map(
          (n) =>
            `${n}: ${count((o) => o.backends[n] === 'kernel' || o.backends[n] === 'alias')} kernel/alias, ` +
            `${count((o) => o.backends[n] === 'composition')} composition, ` +
            `${count((o) => o.backends[n]!.startsWith('fallback'))} fallback`,
        )
        .join('; ') +
      `; ${count((o) => o.gradient === 'own' || o.gradient === 'composition')} with a gradient, ` +
      `${count((o) => o.gradient === 'n/a')} nondifferentiable, ${count((o) => o.gradient === 'missing')} missing; ` +
      `second order checked numerically for ${count((o) => o.secondOrder === 'ok')}.`,
    '',
  );
  const header = ['op', 'family', ...names, 'gradient', '2nd order'];
  const rows = (pred: (o: OpCoverage) => boolean) => [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...cov.ops
      .filter(pred)
      .map(
        (o) =>
          `| \`${o.op}\` | ${o.family} | ${names.map((n) => backendText(o.backends[n]!)).join(' | ')} | ${gradText(o)} | ${secondText(o)} |`,
      ),
  ];
  lines.push('## Public ops', '', ...rows((o) => !o.internal), '');
  lines.push(
    '## Internal ops',
    '',
    'Ops that only run inside gradients (the backward of convolution and pooling); their',
    'own gradients give the higher orders.',
    '',
    ...rows((o) => o.internal),
    '',
  );
  return lines.join('\n');
}

/** Problems that fail CI: missing gradients, unexplained nondifferentiable ops, failing probes. */
export function coverageProblems(cov: Coverage): string[] {
  const problems: string[] = [];
  for (const o of cov.ops) {
    if (o.gradient === 'missing')
      problems.push(`${o.op}: no gradient (neither its own nor through a composition) and not marked nondifferentiable`);
    if (o.gradient === 'n/a' && !o.nondifferentiableReason)
      problems.push(`${o.op}: marked nondifferentiable without a reason in NONDIFFERENTIABLE_REASONS (scripts/coverage/matrix.ts)`);
    if (o.firstOrder.startsWith('fail')) problems.push(`${o.op}: first-order probe ${o.firstOrder}`);
    if (o.secondOrder.startsWith('fail')) problems.push(`${o.op}: second-order probe ${o.secondOrder}`);
    for (const [b, cell] of Object.entries(o.backends)) {
      const available = cov.backends.find((x) => x.name === b)?.available;
      if (available && cell === 'missing') problems.push(`${o.op}: no way to run it on '${b}'`);
    }
  }
  return problems;
}
