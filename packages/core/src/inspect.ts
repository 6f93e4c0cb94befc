/**
 * A read-only view of the tape, for tools that draw or explain a computation (the playground's
 * graph view): which ops were recorded, what fed them, and hooks on their outputs' gradients.
 */
import { ArgumentError } from './errors.js';
import type { Attrs } from './op.js';
import type { TapeNode } from './tape.js';
import type { GradHook, Tensor } from './tensor.js';

/** Where a value comes from: the output of a recorded op, or a leaf tensor. */
export type TapeSource =
  | {
      kind: 'op';
      op: TapeOp;
      /** Which output of `op`. */
      outputIndex: number;
      /** The value (shares the op output's data; do not dispose it). */
      value: Tensor;
    }
  | {
      kind: 'leaf';
      /** The leaf itself: `requiresGrad`, `.grad`, and for a variable its name. */
      leaf: Tensor;
      /** Its value as the op saved it: readable even after the leaf was disposed (a constant the op made). */
      value: Tensor;
    };

/** One recorded op, as `inspectTape` describes it. */
export interface TapeOp {
  /** Unique, increasing in recording order. */
  readonly id: number;
  readonly opName: string;
  readonly attrs: Readonly<Attrs>;
  readonly inputs: readonly TapeSource[];
  /** The op's outputs (they share the outputs' data while the graph lives; do not dispose them). */
  readonly outputs: readonly Tensor[];
  /**
   * Calls `hook` with the complete gradient of output `index` during backward, as
   * `registerHook` does for a tensor (it may return a replacement).
   */
  onGrad(index: number, hook: GradHook): { remove(): void };
}

/** The part of the tape that some outputs depend on. */
export interface TapeView {
  /** Recorded ops, every op after the ops that feed it. */
  ops: TapeOp[];
  /** Leaves the ops read, in first-use order (each once). */
  leaves: Tensor[];
  /** Where each requested output comes from. */
  outputs: TapeSource[];
}

/**
 * Describes the recorded ops that `outputs` depend on (inputs before the ops that use them),
 * with their inputs, outputs and attributes, and lets hooks observe gradients at every op output.
 *
 * @example
 * ```ts
 * const x = tensor(3).requiresGrad_();
 * const y = x.square().mul(2);
 * const { ops } = inspectTape(y);
 * console.log(ops.map((op) => op.opName)); // ['Square', 'Mul']
 * const seen: number[] = []; // ∂y/∂(x²) arrives at the first op's output
 * ops[0]!.onGrad(0, (g) => void seen.push(g.dataSync()[0]!));
 * y.backward();
 * console.log(seen); // [2]
 * ```
 */
export function inspectTape(outputs: Tensor | readonly Tensor[]): TapeView {
  const list = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  list.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || !('engine' in t)) {
      throw new ArgumentError(`inspectTape: outputs[${i}] is not a tensor`);
    }
    t.engine.assertUsable(t, 'inspectTape', `outputs[${i}]`);
  });

  const ops: TapeOp[] = [];
  const leaves: Tensor[] = [];
  const seenLeaves = new Set<Tensor>();
  const viewOf = new Map<TapeNode, TapeOp>();

  const leafSource = (handle: Tensor): TapeSource => {
    const leaf = handle.leaf ?? handle;
    if (!seenLeaves.has(leaf)) {
      seenLeaves.add(leaf);
      leaves.push(leaf);
    }
    return { kind: 'leaf', leaf, value: handle };
  };
  const source = (t: Tensor): TapeSource =>
    t.node
      ? { kind: 'op', op: viewOf.get(t.node)!, outputIndex: t.outputIndex, value: t }
      : leafSource(t);

  const makeView = (node: TapeNode): TapeOp => ({
    id: node.id,
    opName: node.opName,
    attrs: node.attrs,
    inputs: node.inputs.map(source),
    outputs: node.outputs,
    onGrad(index, hook) {
      if (!Number.isInteger(index) || index < 0 || index >= node.outputs.length) {
        throw new ArgumentError(
          `onGrad: ${node.opName} has ${node.outputs.length} output(s); got index ${index}`,
        );
      }
      const hooks = (node.hooks[index] ??= []);
      hooks.push(hook);
      return {
        remove: () => {
          const at = hooks.indexOf(hook);
          if (at >= 0) hooks.splice(at, 1);
        },
      };
    },
  });

  // Iterative post-order DFS (graphs can be deep): a node's view is made after its inputs'.
  for (const root of list) {
    if (!root.node || viewOf.has(root.node)) continue;
    const stack: { node: TapeNode; next: number }[] = [{ node: root.node, next: 0 }];
    const onStack = new Set<TapeNode>([root.node]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const input = top.node.inputs[top.next];
      if (input) {
        top.next++;
        if (input.node && !viewOf.has(input.node) && !onStack.has(input.node)) {
          onStack.add(input.node);
          stack.push({ node: input.node, next: 0 });
        }
        continue;
      }
      stack.pop();
      const view = makeView(top.node);
      viewOf.set(top.node, view);
      ops.push(view);
    }
  }
  return { ops, leaves, outputs: list.map(source) };
}
