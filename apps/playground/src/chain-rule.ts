import { fmtValues } from './graph-view.js';
import type { GraphEdge, TapeGraph } from './tape-graph.js';

/**
 * The order in which backward completes gradients: reverse topological order
 * (the output first, every node after all the nodes that consume it), nodes with a gradient only.
 */
export function backwardOrder(graph: TapeGraph): string[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return [...graph.topo].reverse().filter((id) => byId.get(id)?.grad != null);
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * The chain-rule product for one node: ∂f/∂n = Σ over consumers p of ∂f/∂p · ∂p/∂n,
 * with the numbers of this run. Elementwise terms print as products; others (slice,
 * broadcast, reductions) as the vector-Jacobian product (∂f/∂p)ᵀ·J.
 */
export function chainRuleText(graph: TapeGraph, id: string): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const n = byId.get(id);
  if (!n) return '';
  const f = byId.get(graph.outputId)!.label;
  if (id === graph.outputId) return `∂${f}/∂${f} = 1 (the seed of backward)`;
  // One term per consumer (an op using n twice, e.g. y·y, is one term: its local derivative covers both).
  const terms = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    if (e.from === id && e.contribution && !terms.has(e.to)) terms.set(e.to, e);
  }
  const symbolic: string[] = [];
  const numeric: string[] = [];
  for (const e of terms.values()) {
    const p = byId.get(e.to)!;
    symbolic.push(`∂${f}/∂${p.label} · ∂${p.label}/∂${n.label}`);
    const gp = p.grad ?? [];
    const local = e.local ?? [];
    const contribution = e.contribution ?? [];
    const elementwise =
      gp.length === local.length &&
      local.length === contribution.length &&
      contribution.every((c, i) => close(c, gp[i]! * local[i]!));
    numeric.push(
      elementwise
        ? `${fmtValues(gp)} · ${fmtValues(local)}`
        : `(${fmtValues(gp)})ᵀ·J(${p.label}) = ${fmtValues(contribution)}`,
    );
  }
  return [
    `∂${f}/∂${n.label} = ${symbolic.join(' + ')}`,
    `= ${numeric.join(' + ')}`,
    `= ${fmtValues(n.grad)}`,
  ].join('\n');
}
