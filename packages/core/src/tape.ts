import type { Engine } from './engine.js';
import { GradientError, fmtShape } from './errors.js';
import type { Attrs, GradFn } from './op.js';
import type { OutputSpec } from './backend.js';
import { shapesEqual } from './shape.js';
import type { GradHook, Tensor } from './tensor.js';

let nextNodeId = 0;

/**
 * One recorded op. Inputs and outputs are kept as saved handles: internal tensors
 * that share the data (so `tidy` can dispose the user's tensors) and keep their
 * place in the graph (so gradients computed with `createGraph` stay connected).
 * A node lives while an output tensor or a downstream node refers to it.
 */
export class TapeNode {
  readonly id = nextNodeId++;
  /** Live outputs plus downstream nodes that refer to this node. */
  refCount = 0;
  savedFreed = false;
  /** Hooks registered on this node's (non-leaf) outputs, by output index. */
  hooks: (GradHook[] | undefined)[] = [];

  constructor(
    readonly opName: string,
    readonly inputs: Tensor[],
    readonly outputs: Tensor[],
    readonly outputSpecs: readonly OutputSpec[],
    readonly attrs: Attrs,
    readonly gradFn: GradFn,
    readonly saved: Tensor[],
  ) {}
}

/** Where gradients arrive for a tensor: its producing node's output, or the leaf itself. */
type Position =
  { node: TapeNode; index: number; leaf: null } | { node: null; index: 0; leaf: Tensor };

export function positionOf(t: Tensor): Position {
  if (t.node !== null) return { node: t.node, index: t.outputIndex, leaf: null };
  return { node: null, index: 0, leaf: t.leaf ?? t };
}

export interface BackwardRequest {
  roots: readonly Tensor[];
  seeds: readonly Tensor[];
  /** gradients() mode: the tensors whose gradients are returned. Absent: accumulate into leaves' `.grad`. */
  xs?: readonly Tensor[];
  stopGradients?: readonly Tensor[];
  createGraph: boolean;
  retainGraph: boolean;
}

/**
 * Reverse-mode sweep. Returns the gradient for each of `xs` (undefined where
 * unconnected), or, without `xs`, a map from leaf to its gradient.
 */
export function runBackward(
  engine: Engine,
  req: BackwardRequest,
): { xsGrads: (Tensor | undefined)[]; leafGrads: Map<Tensor, Tensor> } {
  const targetLeaves = new Map<Tensor, number[]>();
  const targetOutputs = new Map<TapeNode, Map<number, number[]>>();
  const push = <K>(m: Map<K, number[]>, k: K, i: number) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  req.xs?.forEach((x, i) => {
    const p = positionOf(x);
    if (p.node) {
      let m = targetOutputs.get(p.node);
      if (!m) targetOutputs.set(p.node, (m = new Map<number, number[]>()));
      push(m, p.index, i);
    } else push(targetLeaves, p.leaf, i);
  });
  const stoppedLeaves = new Set<Tensor>();
  const stoppedOutputs = new Set<string>();
  for (const s of req.stopGradients ?? []) {
    const p = positionOf(s);
    if (p.node) stoppedOutputs.add(`${p.node.id}:${p.index}`);
    else stoppedLeaves.add(p.leaf);
  }
  const isStopped = (t: Tensor) => {
    const p = positionOf(t);
    return p.node ? stoppedOutputs.has(`${p.node.id}:${p.index}`) : stoppedLeaves.has(p.leaf);
  };
  const leafIsTarget = (leaf: Tensor) =>
    req.xs ? targetLeaves.has(leaf) : leaf.requiresGradFlag && !leaf.isHandle;

  // 1. Which nodes must run: those from which a target can be reached.
  const needed = new Map<TapeNode, boolean>();
  const leads = (t: Tensor): boolean => {
    if (isStopped(t)) return false;
    const p = positionOf(t);
    if (p.node)
      return (targetOutputs.get(p.node)?.has(p.index) ?? false) || needed.get(p.node) === true;
    return leafIsTarget(p.leaf);
  };
  const rootNodes: TapeNode[] = [];
  for (const r of req.roots) if (r.node && !isStopped(r)) rootNodes.push(r.node);
  // Iterative post-order DFS (graphs can be deep).
  const order: TapeNode[] = [];
  const visiting = new Set<TapeNode>();
  for (const root of rootNodes) {
    if (needed.has(root) || visiting.has(root)) continue;
    const stack: { node: TapeNode; next: number }[] = [{ node: root, next: 0 }];
    visiting.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.inputs.length) {
        const input = top.node.inputs[top.next++]!;
        const child = input.node;
        if (child && !isStopped(input) && !needed.has(child) && !visiting.has(child)) {
          visiting.add(child);
          stack.push({ node: child, next: 0 });
        }
        continue;
      }
      stack.pop();
      const n = top.node;
      needed.set(n, n.inputs.some(leads));
      order.push(n);
    }
  }

  // 2. Count, for each needed node, the needed nodes that feed gradients into it.
  const pending = new Map<TapeNode, number>();
  for (const n of order) {
    if (!needed.get(n)) continue;
    for (const input of n.inputs) {
      if (input.node && !isStopped(input) && needed.get(input.node)) {
        pending.set(input.node, (pending.get(input.node) ?? 0) + 1);
      }
    }
  }

  // The gradient contributions to each op output and leaf, summed by one AddN when they are
  // consumed (every contribution has arrived by then): one pass over k tensors instead of
  // k − 1 pairwise sums.
  const outContributions = new Map<TapeNode, Tensor[][]>();
  const leafContributions = new Map<Tensor, Tensor[]>();
  const xsGrads: (Tensor | undefined)[] = new Array<Tensor | undefined>(req.xs?.length ?? 0);

  const total = (gs: readonly Tensor[]): Tensor =>
    gs.length === 1 ? gs[0]! : (engine.run('AddN', gs) as Tensor);
  const addToPosition = (t: Tensor, g: Tensor) => {
    const p = positionOf(t);
    if (p.node) {
      let lists = outContributions.get(p.node);
      if (!lists) outContributions.set(p.node, (lists = []));
      (lists[p.index] ??= []).push(g);
    } else {
      let list = leafContributions.get(p.leaf);
      if (!list) leafContributions.set(p.leaf, (list = []));
      list.push(g);
    }
  };

  req.roots.forEach((r, i) => {
    if (!isStopped(r)) addToPosition(r, req.seeds[i]!);
  });

  const ready: TapeNode[] = [];
  for (const n of rootNodes)
    if (needed.get(n) && !pending.get(n) && !ready.includes(n)) ready.push(n);

  function applyHooks(hooks: readonly GradHook[] | undefined | null, g: Tensor): Tensor {
    if (!hooks) return g;
    for (const hook of hooks) {
      const replaced = hook(g);
      if (replaced !== undefined) {
        if (!shapesEqual(replaced.shape, g.shape)) {
          throw new GradientError(
            `registerHook: a hook returned a gradient of shape ${fmtShape(replaced.shape)} for a tensor of shape ${fmtShape(g.shape)}`,
          );
        }
        g = replaced;
      }
    }
    return g;
  }

  function collectTargetOutputs(n: TapeNode): (Tensor | undefined)[] {
    const lists = outContributions.get(n) ?? [];
    const list = n.outputSpecs.map((_, i) => (lists[i] ? total(lists[i]) : undefined));
    for (let i = 0; i < n.outputSpecs.length; i++) {
      if (list[i] !== undefined) list[i] = applyHooks(n.hooks[i], list[i]!);
      for (const xi of targetOutputs.get(n)?.get(i) ?? []) xsGrads[xi] = list[i];
    }
    outContributions.delete(n);
    return list;
  }

  const prevGradMode = engine.gradEnabled;
  const prevBackwardOp = engine.backwardOp;
  try {
    while (ready.length) {
      const n = ready.pop()!;
      const list = collectTargetOutputs(n);
      if (n.savedFreed) {
        throw new GradientError(
          `backward: trying to backward through the graph a second time (op ${n.opName}); ` +
            `its saved tensors were freed. Pass { retainGraph: true } to the first backward() call.`,
        );
      }
      const dys = n.outputSpecs.map((spec, i) => list[i] ?? engine.zeros(spec.shape, spec.dtype));
      const needsInputGrad = n.inputs.map(leads);
      engine.gradEnabled = req.createGraph;
      engine.backwardOp = n.opName;
      const raw = n.gradFn(dys[0]!, {
        inputs: n.inputs,
        outputs: n.outputs,
        dys,
        attrs: n.attrs,
        saved: n.saved,
        needsInputGrad,
        engine,
      });
      engine.gradEnabled = prevGradMode;
      engine.backwardOp = prevBackwardOp;
      const inputGrads = Array.isArray(raw)
        ? (raw as (Tensor | null | undefined)[])
        : [raw as Tensor];
      if (inputGrads.length !== n.inputs.length) {
        throw new GradientError(
          `${n.opName}: gradient function returned ${inputGrads.length} gradients for ${n.inputs.length} inputs`,
        );
      }
      n.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (needsInputGrad[i] && g) {
          if (!shapesEqual(g.shape, input.shape) || g.dtype !== input.dtype) {
            throw new GradientError(
              `${n.opName}: gradient for input ${i} has shape ${fmtShape(g.shape)} (${g.dtype}) ` +
                `but the input has shape ${fmtShape(input.shape)} (${input.dtype})`,
            );
          }
          addToPosition(input, g);
        }
        if (input.node && !isStopped(input) && needed.get(input.node)) {
          const left = pending.get(input.node)! - 1;
          pending.set(input.node, left);
          if (left === 0) ready.push(input.node);
        }
      });
      if (!req.retainGraph) engine.freeSaved(n);
    }
  } finally {
    engine.gradEnabled = prevGradMode;
    engine.backwardOp = prevBackwardOp;
  }
  // Targets produced by nodes that did not need to run (nothing to differentiate below them).
  for (const n of targetOutputs.keys()) if (outContributions.has(n)) collectTargetOutputs(n);

  const leafGrads = new Map<Tensor, Tensor>();
  for (const [leaf, gs] of leafContributions) {
    const hooked = applyHooks(leaf.hooks, total(gs));
    leafGrads.set(leaf, hooked);
    for (const xi of targetLeaves.get(leaf) ?? []) xsGrads[xi] = hooked;
  }
  return { xsGrads, leafGrads };
}
