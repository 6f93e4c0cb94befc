import * as tg from 'tapegrad';
import type { Tensor } from 'tapegrad';
import {
  compileUserCode,
  disposingNewVariables,
  errorLine,
  errorMessage,
  withCapturedConsole,
} from './user-code.js';

/** A recorded op (core's TapeNode, reached through `tensor.node`). */
type TapeNode = NonNullable<Tensor['node']>;

/** One box of the graph: a tape entry (op) or a leaf tensor. */
export interface GraphNode {
  id: string;
  kind: 'op' | 'leaf';
  /** Op name for tape entries, "leaf" / "variable" for leaves. */
  op: string;
  /** Display name: the label given with `label(t, name)`, a variable's name, or op#id. */
  label: string;
  shape: number[];
  value: number[];
  /** ∂f/∂(this node's output); null where no gradient flows (constants). */
  grad: number[] | null;
}

/** Data flows from `from` into input `slot` of `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  slot: number;
  /** The part of ∂f/∂from that flows back through this edge: (∂f/∂to)ᵀ · ∂to/∂from. */
  contribution: number[] | null;
  /** ∂to/∂from applied to ones (the local derivative for elementwise ops). */
  local: number[] | null;
}

export interface TapeGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node ids in topological order (inputs before the ops that use them). */
  topo: string[];
  outputId: string;
  /** Number of tape entries (recorded ops) reachable from the output. */
  tapeEntries: number;
}

export interface RunOutcome {
  graph: TapeGraph | null;
  logs: string[];
  error: string | null;
  /** The line of the code where the error was thrown (1-based), when the stack gives one. */
  errorLine: number | null;
}

const labels = new WeakMap<Tensor, string>();

/** Names a tensor in the graph view; returns it (available to the code as `label`). */
export function label<T extends Tensor>(t: T, name: string): T {
  labels.set(t, name);
  return t;
}

const round = (v: number): number => (Number.isInteger(v) ? v : Number(v.toPrecision(6)));
const read = (t: Tensor): number[] => Array.from(t.dataSync(), (v) => round(Number(v)));

/** The leaf a saved input handle stands for. */
const leafOf = (h: Tensor): Tensor => h.leaf ?? h;

/**
 * Walks the tape from `out` and records, for every tape entry and leaf, its value and
 * gradient; runs `out.backward()` (seeded with ones for a non-scalar output, i.e. the
 * backward of its sum). Call inside `tidy`.
 */
export function traceBackward(out: Tensor): TapeGraph {
  const nodeId = (n: TapeNode): string => `n${n.id}`;
  const leafId = (t: Tensor): string => `t${t.id}`;
  const idOfInput = (h: Tensor): string => (h.node ? nodeId(h.node) : leafId(leafOf(h)));

  // Post-order DFS: inputs before consumers (graphs are small, recursion is fine).
  const tapeNodes: TapeNode[] = [];
  const leaves = new Map<string, Tensor>();
  const topo: string[] = [];
  const seen = new Set<string>();
  // The values of leaves are read through a saved handle: a constant the op made itself
  // (the 2 of `add(2)`) is already disposed, its handle is not.
  const leafHandles = new Map<string, Tensor>();
  const visitLeaf = (t: Tensor, handle: Tensor) => {
    const id = leafId(t);
    if (seen.has(id)) return;
    seen.add(id);
    leaves.set(id, t);
    leafHandles.set(id, handle);
    topo.push(id);
  };
  const visit = (n: TapeNode) => {
    const id = nodeId(n);
    if (seen.has(id)) return;
    seen.add(id);
    for (const h of n.inputs) {
      if (h.node) visit(h.node);
      else visitLeaf(leafOf(h), h);
    }
    tapeNodes.push(n);
    topo.push(id);
  };
  if (out.node) visit(out.node);
  else visitLeaf(out, out);

  const nodes = new Map<string, GraphNode>();
  const displayName = (t: Tensor, fallback: string): string =>
    labels.get(t) ?? (t instanceof tg.Variable ? t.name : fallback);
  for (const [id, t] of leaves) {
    const value = read(leafHandles.get(id)!);
    nodes.set(id, {
      id,
      kind: 'leaf',
      op: t instanceof tg.Variable ? 'variable' : 'leaf',
      label: displayName(t, t.size === 1 ? `const ${value[0]}` : `t${t.id}`),
      shape: [...t.shape],
      value,
      grad: null,
    });
  }
  for (const n of tapeNodes) {
    const o = n.outputs[0]!;
    nodes.set(nodeId(n), {
      id: nodeId(n),
      kind: 'op',
      op: n.opName,
      label: n === out.node && labels.has(out) ? labels.get(out)! : `${n.opName}#${n.id}`,
      shape: [...o.shape],
      value: read(o),
      grad: null,
    });
  }

  const edges: GraphEdge[] = [];
  for (const n of tapeNodes) {
    n.inputs.forEach((h, slot) => {
      edges.push({ from: idOfInput(h), to: nodeId(n), slot, contribution: null, local: null });
    });
  }

  const graph: TapeGraph = {
    nodes: topo.map((id) => nodes.get(id)!),
    edges,
    topo,
    outputId: out.node ? nodeId(out.node) : leafId(out),
    tapeEntries: tapeNodes.length,
  };
  if (!out.requiresGrad || !out.node) {
    return graph;
  }

  // Capture the gradient arriving at every op output (hooks run once it is complete).
  const outGrads = new Map<TapeNode, number[][]>();
  for (const n of tapeNodes) {
    n.outputs.forEach((_, i) => {
      (n.hooks[i] ??= []).push((g: Tensor) => {
        let list = outGrads.get(n);
        if (!list) outGrads.set(n, (list = []));
        list[i] = read(g);
      });
    });
  }
  out.backward(out.size === 1 ? undefined : tg.onesLike(out), { retainGraph: true });
  for (const n of tapeNodes) {
    nodes.get(nodeId(n))!.grad = outGrads.get(n)?.[0] ?? null;
  }
  for (const [id, t] of leaves) {
    if (t.requiresGrad && t.grad) nodes.get(id)!.grad = read(t.grad);
  }

  // Per edge: the product of the chain rule, computed with the gradient of the consumer
  // alone (its other inputs held constant), seeded with ∂f/∂consumer and with ones.
  const position = (h: Tensor): string =>
    h.node ? `${nodeId(h.node)}:${h.outputIndex}` : idOfInput(h);
  for (const n of tapeNodes) {
    const dys = outGrads.get(n);
    if (!dys) continue;
    n.inputs.forEach((h, slot) => {
      const fromId = idOfInput(h);
      if (nodes.get(fromId)!.grad === null) return;
      const others = n.inputs.filter((o) => position(o) !== position(h));
      const gradYs = n.outputs.map((o, i) =>
        tg.tensor(dys[i] ?? new Array<number>(o.size).fill(0), [...o.shape]),
      );
      const [contribution] = tg.gradients(n.outputs, [h], {
        gradYs,
        stopGradients: others,
        retainGraph: true,
        unconnected: 'zero',
      });
      const [local] = tg.gradients(n.outputs, [h], {
        stopGradients: others,
        retainGraph: true,
        unconnected: 'zero',
      });
      const edge = edges.find((e) => e.to === nodeId(n) && e.slot === slot)!;
      edge.contribution = contribution ? read(contribution) : null;
      edge.local = local ? read(local) : null;
    });
  }
  return graph;
}

/**
 * Runs user code with `tg` (and `label`) in scope; the code returns the output tensor.
 * Console output (log/info/warn, and `t.print()`) is captured.
 */
export function runCode(code: string): RunOutcome {
  const logs: string[] = [];
  try {
    const fn = compileUserCode(code);
    const graph = withCapturedConsole(logs, () =>
      disposingNewVariables(() =>
        tg.tidy(() => {
          const out = fn(tg, label);
          if (!(out instanceof tg.Tensor)) {
            throw new Error(
              `the code must return the output tensor (got ${out === undefined ? 'undefined' : typeof out})`,
            );
          }
          const g = traceBackward(out);
          if (!out.requiresGrad) {
            logs.push(
              'note: the output does not require grad (no leaf has requiresGrad), so no gradients',
            );
          } else if (out.size !== 1) {
            logs.push(`note: the output has shape [${out.shape.join(',')}]: backward of its sum`);
          }
          return g;
        }),
      ),
    );
    return { graph, logs, error: null, errorLine: null };
  } catch (e) {
    return { graph: null, logs, error: errorMessage(e), errorLine: errorLine(e) };
  }
}
