import type { Backend, DataHandle } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { isFloatDtype } from './dtype.js';
import type { Engine, FinalHeld } from './engine.js';
import { ArgumentError, DTypeError, GradientError } from './errors.js';
import type { Shape } from './shape.js';
import { sizeFromShape } from './shape.js';
import type { TapeNode } from './tape.js';

/** @internal Reference-counted storage shared by tensors that alias the same buffer. */
export interface Storage {
  backend: Backend;
  handle: DataHandle;
  refs: number;
  bytes: number;
}

export type GradHook = (grad: Tensor) => Tensor | void;

export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients are differentiable (higher order). */
  createGraph?: boolean;
}

export type NestedArray = number | boolean | NestedArray[];

let nextTensorId = 0;

// Symbol.dispose where the runtime has it (Node ≥ 20, recent browsers), else the key that
// transpiled `using` declarations look up.
const disposeSymbol: symbol =
  (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');

// The type of the method defined below under `disposeSymbol`, so that TypeScript accepts
// `using t = tensor(…)` (the runtime key may be a fallback, so the class cannot name it).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor {
  /** Disposes the tensor when a `using` declaration goes out of scope (same as `dispose()`). */
  [Symbol.dispose](): void;
}

/**
 * An immutable n-dimensional array on a backend. Ops are chainable methods once an
 * op family is registered (`x.matMul(w).add(b).relu()`).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * console.log(x.shape, x.dtype); // shape [2, 2], dtype float32
 * x.matMul(x).add(1).relu().print(); // [[8, 11], [16, 23]]
 * console.log(x.arraySync()); // [[1, 2], [3, 4]]
 * console.log(await x.data()); // [1, 2, 3, 4]
 * // PyTorch-style autograd on any float tensor
 * const w = tensor([2, 3]).requiresGrad_();
 * w.mul(w).sum().backward();
 * w.grad!.print(); // [4, 6]
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Tensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** @internal */ readonly engine: Engine;
  /** @internal */ storage: Storage;
  /** @internal The tape node that produced this tensor (null for leaves). */
  node: TapeNode | null = null;
  /** @internal Output index of this tensor in `node`. */
  outputIndex = 0;
  /** @internal For saved handles: the leaf tensor this handle stands for. */
  leaf: Tensor | null = null;
  /** @internal Saved handles are internal: no scope, not counted by memory(). */
  isHandle = false;
  /** @internal Name of the op that created this tensor (error messages, leak reports). */
  creator: string;
  /** @internal Call site, recorded in debug mode. */
  createdAt: string | undefined;
  /** @internal */ kept = false;
  /** @internal */ hooks: GradHook[] | null = null;
  /** @internal */ requiresGradFlag = false;
  /** @internal */ disposedFlag = false;
  /** @internal */ gradValue: Tensor | null = null;
  /** @internal Leak safety-net record (see Engine). */
  held: FinalHeld | null = null;

  /** @internal Use `tensor()` or an engine to create tensors. */
  constructor(engine: Engine, storage: Storage, shape: Shape, dtype: DType, creator: string) {
    this.id = nextTensorId++;
    this.engine = engine;
    this.storage = storage;
    // Shapes are frozen; an already frozen one (an input's, for elementwise ops) is shared.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeFromShape(shape);
    this.creator = creator;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /**
   * Whether gradients flow to this tensor. Settable on leaves only (PyTorch semantics).
   *
   * @example
   * ```ts
   * const x = tensor([1, 2]);
   * console.log(x.requiresGrad); // false
   * x.requiresGrad = true;
   * console.log(x.mul(2).requiresGrad); // true
   * ```
   */
  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  set requiresGrad(value: boolean) {
    this.engine.assertUsable(this, 'requiresGrad', 'tensor');
    if (this.node !== null) {
      throw new GradientError(
        `requiresGrad: can only be set on leaf tensors; this tensor was produced by ${this.creator}. ` +
          `Use detach() to get a leaf.`,
      );
    }
    if (value && !isFloatDtype(this.dtype)) {
      throw new DTypeError(
        `requiresGrad: only float tensors can require gradients (got ${this.dtype}); cast it first`,
      );
    }
    this.requiresGradFlag = value;
  }

  /**
   * Sets requiresGrad in place and returns this tensor.
   *
   * @example
   * ```ts
   * const x = tensor([3]).requiresGrad_();
   * x.square().sum().backward();
   * x.grad!.print(); // [6]
   * ```
   */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /**
   * True for tensors not produced by a recorded op.
   *
   * @example
   * ```ts
   * const x = tensor([1]).requiresGrad_();
   * console.log(x.isLeaf); // true
   * console.log(x.exp().isLeaf); // false
   * ```
   */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /**
   * Name of the op that produced this tensor on the tape, or null for a leaf.
   *
   * @example
   * ```ts
   * const x = tensor([1]).requiresGrad_();
   * console.log(x.exp().gradFn); // 'Exp'
   * console.log(x.gradFn); // null
   * ```
   */
  get gradFn(): string | null {
    return this.node?.opName ?? null;
  }

  /**
   * Gradient accumulated by `backward()` (leaves only); null until computed.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2]).requiresGrad_();
   * x.sum().backward();
   * x.sum().backward(); // accumulates, as in PyTorch
   * x.grad!.print(); // [2, 2]
   * x.grad = null; // zero it
   * ```
   */
  get grad(): Tensor | null {
    return this.gradValue;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (value.dtype !== this.dtype || value.shape.join() !== this.shape.join()) {
        throw new ArgumentError(
          `grad: assigned gradient must match the tensor (shape [${this.shape.join(',')}], ${this.dtype}); ` +
            `got [${value.shape.join(',')}], ${value.dtype}`,
        );
      }
      this.engine.keep(value);
    }
    if (this.gradValue !== null && this.gradValue !== value) this.gradValue.dispose();
    this.gradValue = value;
  }

  /**
   * Computes gradients of this tensor w.r.t. every leaf that requires grad, accumulating in `.grad`.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2]).requiresGrad_();
   * const y = w.mul(w); // non-scalar: pass the seed gradient
   * y.backward(tensor([1, 0.5]));
   * w.grad!.print(); // [2, 2]
   * const z = w.sum().square();
   * z.backward(undefined, { retainGraph: true }); // keep the graph to run backward again
   * ```
   */
  backward(gradient?: Tensor | number, options: BackwardOptions = {}): void {
    this.engine.backward(this, gradient, options);
  }

  /**
   * A new leaf sharing this tensor's data, cut from the graph.
   *
   * @example
   * ```ts
   * const x = tensor([2]).requiresGrad_();
   * const y = x.square().detach(); // a constant from here on
   * x.mul(y).sum().backward();
   * x.grad!.print(); // [4]
   * ```
   */
  detach(): Tensor {
    return this.engine.detach(this);
  }

  /**
   * Registers a hook called with the gradient flowing into this tensor; it may return a replacement.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2]).requiresGrad_();
   * const hook = x.registerHook((g) => g.mul(10)); // scale the gradient reaching x
   * x.sum().backward();
   * x.grad!.print(); // [10, 10]
   * hook.remove();
   * ```
   */
  registerHook(hook: GradHook): { remove(): void } {
    this.engine.assertUsable(this, 'registerHook', 'tensor');
    if (!this.requiresGradFlag) {
      throw new GradientError(
        'registerHook: the tensor does not require grad, so no gradient will reach the hook',
      );
    }
    // Non-leaf gradients arrive at the producing node's output; leaf gradients at the leaf.
    const list = this.node ? (this.node.hooks[this.outputIndex] ??= []) : (this.hooks ??= []);
    list.push(hook);
    return {
      remove: () => {
        const i = list.indexOf(hook);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }

  /**
   * The values as a flat typed array, read asynchronously (works on every backend).
   *
   * @example
   * ```ts
   * console.log(await tensor([[1, 2], [3, 4]]).data()); // [1, 2, 3, 4]
   * ```
   */
  async data(): Promise<TypedArray> {
    return this.engine.read(this);
  }

  /**
   * The values as a flat typed array, read synchronously (backends that can; prefer `data()`).
   *
   * @example
   * ```ts
   * console.log(tensor([1, 2], [2], 'int32').dataSync()); // [1, 2]
   * ```
   */
  dataSync(): TypedArray {
    return this.engine.readSync(this);
  }

  /**
   * The values as nested arrays of the tensor's shape, read asynchronously.
   *
   * @example
   * ```ts
   * console.log(await tensor([1, 2, 3, 4], [2, 2]).array()); // [[1, 2], [3, 4]]
   * ```
   */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /**
   * The values as nested arrays of the tensor's shape, read synchronously.
   *
   * @example
   * ```ts
   * console.log(tensor([true, false]).arraySync()); // [true, false]
   * console.log(scalar(5).arraySync()); // 5
   * ```
   */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /**
   * Releases this tensor's data (idempotent).
   *
   * @example
   * ```ts
   * const x = tensor([1, 2]);
   * x.dispose();
   * console.log(x.isDisposed); // true
   * ```
   */
  dispose(): void {
    this.engine.disposeTensor(this);
  }

  [disposeSymbol](): void {
    this.dispose();
  }

  /**
   * A readable summary: shape, dtype, autograd state and the values.
   *
   * @example
   * ```ts
   * console.log(tensor([1.5, 2]).toString()); // 'Tensor(shape [2], float32) [1.5, 2]'
   * ```
   */
  toString(verbose = false): string {
    if (this.disposedFlag)
      return `Tensor(disposed, shape [${this.shape.join(',')}], ${this.dtype})`;
    let values: string;
    try {
      values = formatNested(this.arraySync());
    } catch {
      values = '<data not synchronously readable; use await t.array()>';
    }
    const head = `Tensor(shape [${this.shape.join(',')}], ${this.dtype}${
      this.requiresGradFlag ? ', requiresGrad' : ''
    }${this.node ? `, gradFn ${this.node.opName}` : ''})`;
    return verbose ? `${head}\n${values}` : `${head} ${values}`;
  }

  /**
   * Logs `toString(verbose)` to the console.
   *
   * @example
   * ```ts
   * tensor([[1, 2]]).print(); // Tensor(shape [1,2], float32) [[1, 2]]
   * ```
   */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }
}

/**
 * A mutable leaf tensor (model parameters). `assign` replaces its value.
 *
 * @example
 * ```ts
 * const w = variable(tensor([2, 3]), true, 'weights');
 * const x = tensor([-1, -2]);
 * const y = w.mul(x);
 * y.slice([1], [1]).mul(y).sum().backward(); // fills w.grad
 * w.assign(w.sub(w.grad!)); // one gradient step
 * w.print(); // [-4, -25]
 * ```
 */
export class Variable extends Tensor {
  readonly name: string;
  readonly trainable: boolean;

  /** @internal */
  constructor(engine: Engine, initial: Tensor, trainable: boolean, name: string) {
    const storage = initial.storage;
    storage.refs++;
    super(engine, storage, initial.shape, initial.dtype, 'variable');
    this.name = name;
    this.trainable = trainable;
    this.requiresGradFlag = trainable && isFloatDtype(initial.dtype);
  }

  /**
   * Replaces the value (same shape and dtype). Graphs recorded before keep the old value.
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * w.assign(tensor([5, 6]));
   * w.print(); // [5, 6]
   * ```
   */
  assign(value: Tensor): void {
    this.engine.assignVariable(this, value);
  }
}

function toNested(values: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const conv = (i: number): number | boolean => (dtype === 'bool' ? values[i] !== 0 : values[i]!);
  if (shape.length === 0) return conv(0);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim]!;
    const stride = sizeFromShape(shape.slice(dim + 1));
    const out: NestedArray[] = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? conv(offset + i) : build(dim + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}

function formatNested(v: NestedArray): string {
  if (Array.isArray(v)) return `[${v.map(formatNested).join(', ')}]`;
  if (typeof v === 'boolean') return String(v);
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}
