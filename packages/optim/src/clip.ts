import type { Tensor } from '@tapegrad/core';
import { ArgumentError, TapegradError } from '@tapegrad/core';
import { clipByValue, div, maximum, mul, sqrt, square, sum } from '@tapegrad/ops-math';

/** Gradients as a list or as a record by variable name (what `variableGrads` returns). */
export type GradientSet = readonly Tensor[] | Readonly<Record<string, Tensor>>;

function mapGrads<G extends GradientSet>(grads: G, f: (t: Tensor) => Tensor): G {
  if (Array.isArray(grads)) return (grads as readonly Tensor[]).map(f) as unknown as G;
  return Object.fromEntries(
    Object.entries(grads as Record<string, Tensor>).map(([k, t]) => [k, f(t)]),
  ) as G;
}

function gradList(grads: GradientSet): Tensor[] {
  return Array.isArray(grads)
    ? [...(grads as readonly Tensor[])]
    : Object.values(grads as Record<string, Tensor>);
}

function assertPositive(op: string, name: string, value: number): void {
  if (!(value > 0))
    throw new ArgumentError(`${op}: ${name} must be a positive number, got ${value}`);
}

/**
 * Clips every gradient elementwise to [min, max]; keeps the list/record structure.
 *
 * @example
 * ```ts
 * const [a, b] = clipGradsByValue([tensor([-3, 0.5]), tensor([2])], -1, 1);
 * a!.print(); // [-1, 0.5]
 * b!.print(); // [1]
 * ```
 */
export function clipGradsByValue<G extends GradientSet>(grads: G, min: number, max: number): G {
  if (!(min <= max))
    throw new ArgumentError(`clipByValue: min (${min}) must not exceed max (${max})`);
  return mapGrads(grads, (t) => clipByValue(t, min, max));
}

/**
 * TF's clip_by_norm: t · clipNorm / max(‖t‖₂, clipNorm) (unchanged when the norm is within bounds).
 *
 * @example
 * ```ts
 * clipByNorm(tensor([3, 4]), 1).print(); // [0.6, 0.8]
 * clipByNorm(tensor([0.3, 0.4]), 1).print(); // [0.3, 0.4]
 * ```
 */
export function clipByNorm(t: Tensor, clipNorm: number): Tensor {
  assertPositive('clipByNorm', 'clipNorm', clipNorm);
  return t.engine.tidy(() => {
    const norm = sqrt(sum(square(t)));
    return div(mul(t, clipNorm), maximum(norm, clipNorm));
  });
}

/**
 * TF's clip_by_global_norm: scales all gradients by clipNorm / max(globalNorm, clipNorm),
 * where globalNorm = √(Σ ‖gᵢ‖²). Returns [clipped, globalNorm].
 *
 * @example
 * ```ts
 * const [clipped, norm] = clipByGlobalNorm({ w: tensor([3]), b: tensor([4]) }, 1);
 * norm.print(); // 5
 * clipped.w!.print(); // [0.6]
 * ```
 */
export function clipByGlobalNorm<G extends GradientSet>(grads: G, clipNorm: number): [G, Tensor] {
  assertPositive('clipByGlobalNorm', 'clipNorm', clipNorm);
  const list = gradList(grads);
  if (list.length === 0) throw new TapegradError('clipByGlobalNorm: no gradients given');
  const engine = list[0]!.engine;
  return engine.tidy(() => {
    const globalNorm = sqrt(list.map((g) => sum(square(g))).reduce((a, b) => a.add(b)));
    const scale = div(clipNorm, maximum(globalNorm, clipNorm));
    return [mapGrads(grads, (g) => mul(g, scale)), globalNorm];
  });
}
