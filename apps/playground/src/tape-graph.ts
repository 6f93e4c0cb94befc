import * as tg from 'tapegrad';
import type { TapeOp, TapeSource, Tensor } from 'tapegrad';
import {
  compileUserCode,
  disposingNewVariables,
  errorLine,
  errorMessage,
  withCapturedConsole,
} from './user-code.js';

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

/**
 * Walks the tape from `out` (core's `inspectTape`) and records, for every tape entry and leaf,
 * its value and gradient; runs `out.backward()` (seeded with ones for a non-scalar output,
 * i.e. the backward of its sum). Call inside `tidy`.
 */
export function traceBackward(out: Tensor): TapeGraph {
  const tape = tg.inspectTape(out);
  const opId = (op: TapeOp): string => `n${op.id}`;
  const leafId = (t: Tensor): string => `t${t.id}`;
  const idOf = (s: TapeSource): string => (s.kind === 'op' ? opId(s.op) : leafId(s.leaf));
  const outSource = tape.outputs[0]!;
  const outOp = outSource.kind === 'op' ? outSource.op : null;

  // Topological order: each op after its inputs, each leaf before its first consumer. A leaf's
  // value is read through its saved handle: a constant the op made itself (the 2 of `add(2)`)
  // is already disposed, its handle is not.
  const topo: string[] = [];
  const leafValues = new Map<string, { leaf: Tensor; value: Tensor }>();
  const addLeaf = (leaf: Tensor, value: Tensor) => {
    const id = leafId(leaf);
    if (leafValues.has(id)) return;
    leafValues.set(id, { leaf, value });
    topo.push(id);
  };
  for (const op of tape.ops) {
    for (const s of op.inputs) if (s.kind === 'leaf') addLeaf(s.leaf, s.value);
    topo.push(opId(op));
  }
  if (outSource.kind === 'leaf') addLeaf(outSource.leaf, outSource.value);

  const nodes = new Map<string, GraphNode>();
  const displayName = (t: Tensor, fallback: string): string =>
    labels.get(t) ?? (t instanceof tg.Variable ? t.name : fallback);
  for (const [id, { leaf, value: handle }] of leafValues) {
    const value = read(handle);
    nodes.set(id, {
      id,
      kind: 'leaf',
      op: leaf instanceof tg.Variable ? 'variable' : 'leaf',
      label: displayName(leaf, leaf.size === 1 ? `const ${value[0]}` : `t${leaf.id}`),
      shape: [...leaf.shape],
      value,
      grad: null,
    });
  }
  for (const op of tape.ops) {
    const o = op.outputs[0]!;
    nodes.set(opId(op), {
      id: opId(op),
      kind: 'op',
      op: op.opName,
      label: op === outOp && labels.has(out) ? labels.get(out)! : `${op.opName}#${op.id}`,
      shape: [...o.shape],
      value: read(o),
      grad: null,
    });
  }

  const edges: GraphEdge[] = tape.ops.flatMap((op) =>
    op.inputs.map((s, slot) => ({
      from: idOf(s),
      to: opId(op),
      slot,
      contribution: null,
      local: null,
    })),
  );

  const graph: TapeGraph = {
    nodes: topo.map((id) => nodes.get(id)!),
    edges,
    topo,
    outputId: idOf(outSource),
    tapeEntries: tape.ops.length,
  };
  if (!out.requiresGrad || !outOp) {
    return graph;
  }

  // Capture the gradient arriving at every op output (hooks run once it is complete).
  const outGrads = new Map<TapeOp, number[][]>();
  for (const op of tape.ops) {
    op.outputs.forEach((_, i) => {
      op.onGrad(i, (g: Tensor) => {
        let list = outGrads.get(op);
        if (!list) outGrads.set(op, (list = []));
        list[i] = read(g);
      });
    });
  }
  out.backward(out.size === 1 ? undefined : tg.onesLike(out), { retainGraph: true });
  for (const op of tape.ops) {
    nodes.get(opId(op))!.grad = outGrads.get(op)?.[0] ?? null;
  }
  for (const [id, { leaf }] of leafValues) {
    if (leaf.requiresGrad && leaf.grad) nodes.get(id)!.grad = read(leaf.grad);
  }

  // Per edge: the product of the chain rule, computed with the gradient of the consumer
  // alone (its other inputs held constant), seeded with ∂f/∂consumer and with ones.
  const position = (s: TapeSource): string =>
    s.kind === 'op' ? `${opId(s.op)}:${s.outputIndex}` : leafId(s.leaf);
  for (const op of tape.ops) {
    const dys = outGrads.get(op);
    if (!dys) continue;
    op.inputs.forEach((s, slot) => {
      if (nodes.get(idOf(s))!.grad === null) return;
      const others = op.inputs.filter((o) => position(o) !== position(s)).map((o) => o.value);
      const outputs = [...op.outputs];
      const gradYs = outputs.map((o, i) =>
        tg.tensor(dys[i] ?? new Array<number>(o.size).fill(0), [...o.shape]),
      );
      const [contribution] = tg.gradients(outputs, [s.value], {
        gradYs,
        stopGradients: others,
        retainGraph: true,
        unconnected: 'zero',
      });
      const [local] = tg.gradients(outputs, [s.value], {
        stopGradients: others,
        retainGraph: true,
        unconnected: 'zero',
      });
      const edge = edges.find((e) => e.to === opId(op) && e.slot === slot)!;
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
