import type { Backend, Kernel } from './backend.js';
import type { DType } from './dtype.js';
import type { Engine } from './engine.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** Shape and dtype of an op input, as seen by shape inference. */
export interface InputSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

export type Attrs = Record<string, unknown>;

export interface GradContext<A = Attrs> {
  /** The op's inputs (their saved values, still connected to the graph). */
  readonly inputs: readonly Tensor[];
  /** The op's outputs (saved values). */
  readonly outputs: readonly Tensor[];
  /** Gradients for every output (zeros where an output got none); `dy` is `dys[0]`. */
  readonly dys: readonly Tensor[];
  readonly attrs: A;
  /** Extra tensors saved by `customGrad`'s `save` (empty for ordinary ops). */
  readonly saved: readonly Tensor[];
  /** Whether input i needs a gradient: grad functions may skip the others. */
  readonly needsInputGrad: readonly boolean[];
  readonly engine: Engine;
}

/**
 * A gradient function: given the gradient of the op's (first) output, returns one
 * gradient per input (null where the input gets none). It is written with
 * ordinary ops, so it can itself be recorded for higher-order derivatives.
 */
export type GradFn<A = Attrs> = (
  dy: Tensor,
  ctx: GradContext<A>,
) => Tensor | readonly (Tensor | null | undefined)[];

/** Definition of an op: shape/dtype rules, gradient, and optionally a composition. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface OpDef<A = any> {
  readonly name: string;
  /** Input names for error messages (default a, b, c, ...). */
  readonly inputNames?: readonly string[];
  /** Number of outputs (default 1). When > 1, `inferShape` returns one shape per output. */
  readonly numOutputs?: number | ((inputs: readonly InputSpec[], attrs: A) => number);
  /** Validates inputs and attrs and returns the output shape (or shapes). Throws a ShapeError/DTypeError. */
  inferShape(inputs: readonly InputSpec[], attrs: A): Shape | Shape[];
  /** Output dtype(s); defaults to the first input's dtype. */
  inferDtype?(inputs: readonly InputSpec[], attrs: A): DType | DType[];
  /** Gradient; absent for ops whose outputs carry no gradient (see `nondifferentiable`). */
  readonly grad?: GradFn<A>;
  /** True when the op's outputs never carry gradients (comparisons, argMax, ...). */
  readonly nondifferentiable?: boolean;
  /**
   * When set, the output shares the storage of this input (reshape-like ops need no kernel).
   */
  readonly aliasInput?: number;
  /**
   * A composition of other ops, used when the active backend has no kernel for this op.
   * Without its own `grad`, the composition is also what gets differentiated.
   */
  readonly composite?: (inputs: Tensor[], attrs: A) => Tensor | Tensor[];
}

/** A family of ops (e.g. @tapegrad/ops-math). */
export interface OpsPlugin {
  readonly kind: 'ops';
  readonly name: string;
  readonly ops: readonly OpDef[];
  /** Chainable methods installed on Tensor.prototype when the plugin is registered. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly methods?: Record<string, (this: Tensor, ...args: any[]) => unknown>;
  /** Plugins this one needs registered first (by name). */
  readonly requires?: readonly string[];
}

/** A backend: a device factory plus its kernels, keyed by op name. */
export interface BackendPlugin<B extends Backend = Backend> {
  readonly kind: 'backend';
  readonly name: string;
  /** Higher priority wins when no backend is set explicitly. */
  readonly priority: number;
  create(): B | Promise<B>;
  readonly kernels: Readonly<Record<string, Kernel<never, B>>>;
}

/** Extra kernels for an already registered backend (e.g. conv kernels from another package). */
export interface KernelsPlugin {
  readonly kind: 'kernels';
  readonly name: string;
  readonly backend: string;
  readonly kernels: Readonly<Record<string, Kernel>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Plugin = OpsPlugin | BackendPlugin<any> | KernelsPlugin;
