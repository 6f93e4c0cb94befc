import type {
  Backend,
  BackendMemory,
  DataHandle,
  Kernel,
  OutputSpec,
  TensorInfo,
} from './backend.js';
import { CORE_OPS } from './core-ops.js';
import type { DType, TypedArray } from './dtype.js';
import { bytesPerElement, isFloatDtype, makeTypedArray } from './dtype.js';
import {
  AnomalyError,
  ArgumentError,
  BackendError,
  DisposedError,
  GradientError,
  KernelNotFoundError,
  TapegradError,
  fmtShape,
} from './errors.js';
import type { Attrs, BackendPlugin, GradFn, InputSpec, OpDef, OpsPlugin, Plugin } from './op.js';
import type { Shape } from './shape.js';
import { shapesEqual, sizeFromShape } from './shape.js';
import type { BackwardRequest } from './tape.js';
import { TapeNode, runBackward } from './tape.js';
import type { BackwardOptions, Storage } from './tensor.js';
import { Tensor, Variable } from './tensor.js';

export interface MemoryInfo {
  /** Live tensors the user can see (saved graph handles excluded). */
  numTensors: number;
  /** Live data buffers across all backends. */
  numDataBuffers: number;
  /** Bytes held by live buffers across all backends. */
  numBytes: number;
  /** Tensor handles held by recorded graphs awaiting backward. */
  numSavedTensors: number;
  /** Per-backend counters (bytes, buffers, backend-specific extras). */
  backends: Record<string, BackendMemory>;
}

export interface EngineFlags {
  /** What to do when the active backend has no kernel for an op: use another backend. */
  fallback: 'warn' | 'silent' | 'error';
  /** Check every op's float outputs for NaN/Inf (see detectAnomaly). */
  detectAnomaly: boolean;
  /** Record call sites and report tensors garbage-collected without dispose(). */
  debug: boolean;
}

export interface EngineOptions {
  plugins?: readonly Plugin[];
  backends?: readonly Plugin[];
  ops?: readonly Plugin[];
  flags?: Partial<EngineFlags>;
}

/** A gradient override: another op's name (use its gradient) or a gradient function. */
export type GradOverride = string | GradFn;

/** @internal A registered backend and its instance once created. */
interface BackendEntry {
  plugin: BackendPlugin<Backend>;
  instance: Backend | null;
  pending: Promise<Backend> | null;
}

interface Scope {
  tensors: Tensor[];
}

/** Called with leak details in debug mode; replaceable for tests. */
export type LeakReporter = (message: string) => void;

/**
 * The engine owns the registries (ops, kernels, gradients, backends), the memory
 * scopes and the tape. `createEngine` makes isolated ones; free functions use the
 * default engine, which `use(plugin)` fills.
 *
 * @example
 * ```ts
 * import { math } from '@tapegrad/ops-math';
 * import { cpu } from '@tapegrad/backend-cpu';
 * const engine = createEngine({ ops: [math], backends: [cpu()] }); // isolated from the default one
 * const y = engine.tidy(() => createTensor(engine, [1, 2, 3]).square().sum());
 * y.print(); // 14
 * console.log(engine.listOps().includes('Add')); // true
 * ```
 */
export class Engine {
  readonly ops = new Map<string, OpDef>();
  readonly kernels = new Map<string, Map<string, Kernel>>();
  readonly gradientRegistry = new Map<string, GradFn>();
  /** @internal */ readonly backends = new Map<string, BackendEntry>();
  readonly plugins = new Set<string>();
  readonly variables = new Map<string, Variable>();
  readonly flags: EngineFlags = { fallback: 'warn', detectAnomaly: false, debug: false };
  /** @internal Whether ops are recorded on the tape. */
  gradEnabled = true;
  /** @internal Depth of nested functional differentiation (grad of grad). */
  gradDepth = 0;
  /** @internal Name of the op whose gradient is running (anomaly messages). */
  backwardOp: string | null = null;
  leakReporter: LeakReporter = (m) => console.warn(m);

  private activeName: string | null = null;
  private readonly scopes: Scope[] = [];
  private readonly overrides: Map<string, GradOverride>[] = [];
  private readonly warned = new Set<string>();
  private numTensors = 0;
  private numSaved = 0;
  private numBuffers = 0;
  private numBytes = 0;
  private nextVariableId = 0;
  private readonly finalizer = new FinalizationRegistry<FinalHeld>((held) =>
    this.collectLeaked(held),
  );

  constructor() {
    for (const op of CORE_OPS) this.ops.set(op.name, op);
  }

  // ---------------------------------------------------------------- registries

  /** Registers a plugin (op family, backend, or extra kernels). Registering a name twice is an error. */
  use(plugin: Plugin): this {
    if (this.plugins.has(`${plugin.kind}:${plugin.name}`)) {
      throw new ArgumentError(
        `use: plugin '${plugin.name}' (${plugin.kind}) is already registered on this engine`,
      );
    }
    if (plugin.kind === 'ops') this.registerOps(plugin);
    else if (plugin.kind === 'backend')
      this.registerBackendPlugin(plugin as BackendPlugin<Backend>);
    else {
      for (const [name, kernel] of Object.entries(plugin.kernels))
        this.registerKernel(plugin.backend, name, kernel);
    }
    this.plugins.add(`${plugin.kind}:${plugin.name}`);
    return this;
  }

  private registerOps(plugin: OpsPlugin): void {
    for (const dep of plugin.requires ?? []) {
      if (!this.plugins.has(`ops:${dep}`)) {
        throw new ArgumentError(`use: op family '${plugin.name}' needs '${dep}' registered first`);
      }
    }
    for (const op of plugin.ops) {
      if (this.ops.has(op.name)) {
        throw new ArgumentError(`use: op '${op.name}' from '${plugin.name}' is already registered`);
      }
    }
    for (const op of plugin.ops) this.ops.set(op.name, op);
    if (plugin.methods) {
      const proto = Tensor.prototype as unknown as Record<string, unknown>;
      for (const [name, fn] of Object.entries(plugin.methods)) {
        if (!(name in proto))
          Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
      }
    }
  }

  private registerBackendPlugin(plugin: BackendPlugin<Backend>): void {
    if (this.backends.has(plugin.name)) {
      throw new ArgumentError(`registerBackend: backend '${plugin.name}' is already registered`);
    }
    this.backends.set(plugin.name, { plugin, instance: null, pending: null });
    for (const [name, kernel] of Object.entries(plugin.kernels)) {
      this.registerKernel(plugin.name, name, kernel as Kernel);
    }
  }

  /** tfjs-style registration: a backend factory and a priority. */
  registerBackend(name: string, factory: () => Backend | Promise<Backend>, priority = 1): void {
    this.registerBackendPlugin({ kind: 'backend', name, priority, create: factory, kernels: {} });
  }

  registerKernel(backend: string, opName: string, kernel: Kernel): void {
    let map = this.kernels.get(backend);
    if (!map) this.kernels.set(backend, (map = new Map<string, Kernel>()));
    if (map.has(opName)) {
      throw new ArgumentError(
        `registerKernel: backend '${backend}' already has a kernel for '${opName}'`,
      );
    }
    map.set(opName, kernel);
  }

  /** Adds or replaces the gradient of an op for this engine. */
  registerGradient(opName: string, gradFn: GradFn): void {
    this.gradientRegistry.set(opName, gradFn);
  }

  /**
   * Runs `fn` with op gradients overridden (TF's gradient_override_map): a value is
   * another op's name (use its gradient) or a gradient function.
   */
  withGradientOverride<T>(map: Record<string, GradOverride>, fn: () => T): T {
    for (const target of Object.values(map)) {
      if (typeof target === 'string' && !this.ops.has(target)) {
        throw new ArgumentError(`withGradientOverride: unknown op '${target}'`);
      }
    }
    this.overrides.push(new Map(Object.entries(map)));
    try {
      return fn();
    } finally {
      this.overrides.pop();
    }
  }

  /** @internal The gradient function in force for an op (overrides, registered, definition). */
  resolveGrad(def: OpDef): GradFn | undefined {
    for (let i = this.overrides.length - 1; i >= 0; i--) {
      const o = this.overrides[i]!.get(def.name);
      if (o !== undefined) return typeof o === 'string' ? this.resolveGrad(this.ops.get(o)!) : o;
    }
    return this.gradientRegistry.get(def.name) ?? def.grad;
  }

  /** Names of registered ops. */
  listOps(): string[] {
    return [...this.ops.keys()].sort();
  }

  /** Backends with a dedicated kernel for `opName`. */
  backendsWithKernel(opName: string): string[] {
    return [...this.kernels.entries()].filter(([, m]) => m.has(opName)).map(([b]) => b);
  }

  // ---------------------------------------------------------------- backends

  /** Selects the backend used for new tensors and ops (initializing it if needed). */
  async setBackend(name: string): Promise<void> {
    await this.initBackend(name);
    this.activeName = name;
  }

  /** Synchronous variant for backends whose factory is synchronous. */
  setBackendSync(name: string): void {
    this.initBackendSync(name);
    this.activeName = name;
  }

  /** Name of the active backend (choosing the highest-priority one if none is set). */
  getBackend(): string {
    return this.activeBackendName();
  }

  /** Resolves when the active (or best) backend is initialized. */
  async ready(): Promise<void> {
    if (this.activeName) {
      await this.initBackend(this.activeName);
      return;
    }
    const errors: string[] = [];
    for (const name of this.backendsByPriority()) {
      try {
        await this.initBackend(name);
        this.activeName = name;
        return;
      } catch (e) {
        errors.push(`${name}: ${(e as Error).message}`);
      }
    }
    throw new BackendError(
      `ready: no backend could be initialized (${errors.join('; ') || 'none registered'})`,
    );
  }

  /** The active backend instance. */
  get backend(): Backend {
    return this.initBackendSync(this.activeBackendName());
  }

  /** Instance of a registered backend (initializing synchronously if possible). */
  findBackend(name: string): Backend {
    return this.initBackendSync(name);
  }

  /**
   * Unregisters a backend and disposes its instance (its workers, GPU device and memory go
   * with it), with its kernels. Throws while tensors still hold data on it; dispose them, or
   * copy what must survive to another backend, first.
   */
  removeBackend(name: string): void {
    const entry = this.backends.get(name);
    if (!entry) throw this.unknownBackend(name);
    const held = entry.instance?.memory().numBuffers ?? 0;
    if (held > 0) {
      throw new ArgumentError(
        `removeBackend: backend '${name}' still holds ${held} buffer(s) of live tensors; dispose them first`,
      );
    }
    entry.instance?.dispose?.();
    // A backend still initializing is disposed as soon as it exists.
    if (!entry.instance)
      void entry.pending?.then(
        (b) => b.dispose?.(),
        () => undefined,
      );
    this.backends.delete(name);
    this.kernels.delete(name);
    this.plugins.delete(`backend:${name}`);
    if (this.activeName === name) this.activeName = null;
  }

  private backendsByPriority(): string[] {
    return [...this.backends.values()]
      .sort((a, b) => b.plugin.priority - a.plugin.priority)
      .map((e) => e.plugin.name);
  }

  private activeBackendName(): string {
    if (this.activeName) return this.activeName;
    for (const name of this.backendsByPriority()) {
      const entry = this.backends.get(name)!;
      if (entry.instance) return (this.activeName = name);
      try {
        const made = entry.plugin.create();
        if (made instanceof Promise) {
          entry.pending = made;
          continue;
        }
        entry.instance = made;
        return (this.activeName = name);
      } catch {
        continue;
      }
    }
    throw new BackendError(
      this.backends.size === 0
        ? 'no backend is registered: register one, e.g. use(cpu()) from @tapegrad/backend-cpu, or import tapegrad'
        : `no backend is ready synchronously (registered: ${[...this.backends.keys()].join(', ')}); call await ready() first`,
    );
  }

  private async initBackend(name: string): Promise<Backend> {
    const entry = this.backends.get(name);
    if (!entry) throw this.unknownBackend(name);
    if (entry.instance) return entry.instance;
    entry.pending ??= Promise.resolve(entry.plugin.create());
    try {
      entry.instance = await entry.pending;
    } catch (e) {
      entry.pending = null;
      throw new BackendError(`backend '${name}' failed to initialize: ${(e as Error).message}`);
    }
    if (this.backends.get(name) !== entry)
      throw new BackendError(`backend '${name}' was removed while it was initializing`);
    return entry.instance;
  }

  private initBackendSync(name: string): Backend {
    const entry = this.backends.get(name);
    if (!entry) throw this.unknownBackend(name);
    if (entry.instance) return entry.instance;
    if (entry.pending)
      throw new BackendError(
        `backend '${name}' is still initializing; await ready() or setBackend('${name}') first`,
      );
    const made = entry.plugin.create();
    if (made instanceof Promise) {
      entry.pending = made;
      throw new BackendError(
        `backend '${name}' initializes asynchronously; await setBackend('${name}') first`,
      );
    }
    return (entry.instance = made);
  }

  private unknownBackend(name: string): BackendError {
    return new BackendError(
      `backend '${name}' is not registered (registered: ${[...this.backends.keys()].join(', ') || 'none'})`,
    );
  }

  // ---------------------------------------------------------------- tensors and data

  /** Creates a tensor from values already converted to `dtype`'s typed array. */
  makeTensor(values: TypedArray, shape: Shape, dtype: DType, creator = 'tensor'): Tensor {
    const backend = this.backend;
    this.assertDtypeSupported(backend, dtype, creator);
    const handle = backend.write(values, shape, dtype);
    return this.wrap(this.newStorage(backend, handle, shape, dtype), shape, dtype, creator);
  }

  /** A tensor of `shape` filled with 0. */
  zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
    return this.makeFilled(shape, 0, dtype, 'zeros');
  }

  /**
   * A tensor of `shape` filled with `value` on the active backend: by the backend's `fill`
   * where it has one, else from a filled typed array.
   */
  makeFilled(shape: Shape, value: number, dtype: DType, creator = 'fill'): Tensor {
    const backend = this.backend;
    if (!backend.fill) {
      const values = makeTypedArray(dtype, sizeFromShape(shape));
      values.fill(value);
      return this.makeTensor(values, shape, dtype, creator);
    }
    this.assertDtypeSupported(backend, dtype, creator);
    const handle = backend.fill(value, shape, dtype);
    return this.wrap(this.newStorage(backend, handle, shape, dtype), shape, dtype, creator);
  }

  private newStorage(backend: Backend, handle: DataHandle, shape: Shape, dtype: DType): Storage {
    const bytes = sizeFromShape(shape) * bytesPerElement(dtype);
    this.numBuffers++;
    this.numBytes += bytes;
    return { backend, handle, refs: 0, bytes };
  }

  private wrap(storage: Storage, shape: Shape, dtype: DType, creator: string): Tensor {
    storage.refs++;
    const t = new Tensor(this, storage, shape, dtype, creator);
    this.track(t);
    return t;
  }

  /**
   * @internal Registers a new user-visible tensor with its scope, or, outside any scope,
   * with the leak safety net (a tidy scope disposes its tensors; those that escape it are
   * registered then, which keeps the cost off the hot path of training loops).
   */
  track(t: Tensor): void {
    this.numTensors++;
    if (this.flags.debug) t.createdAt = new Error().stack?.split('\n').slice(3, 6).join('\n');
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.tensors.push(t);
    else this.registerFinalizer(t);
  }

  private registerFinalizer(t: Tensor): void {
    t.held = {
      storage: t.storage,
      node: t.node,
      creator: t.creator,
      createdAt: t.createdAt,
      id: t.id,
    };
    this.finalizer.register(t, t.held, t);
  }

  /** @internal Releases one reference to a storage, freeing the buffer at zero. */
  releaseStorage(storage: Storage): void {
    if (--storage.refs > 0) return;
    storage.backend.free(storage.handle);
    this.numBuffers--;
    this.numBytes -= storage.bytes;
  }

  private collectLeaked(held: FinalHeld): void {
    this.numTensors--;
    this.releaseStorage(held.storage);
    if (held.node) this.decRef(held.node);
    if (this.flags.debug) {
      this.leakReporter(
        `tapegrad: tensor #${held.id} made by '${held.creator}' was garbage-collected without dispose()` +
          (held.createdAt ? `; created at\n${held.createdAt}` : ''),
      );
    }
  }

  /** @internal Throws a DisposedError naming the op and argument if `t` is unusable. */
  assertUsable(t: Tensor, op: string, arg: string): void {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError(`${op}: argument '${arg}' must be a Tensor, got ${describe(t)}`);
    }
    if (t.disposedFlag) {
      throw new DisposedError(
        t.isHandle
          ? `${op}: a tensor saved for backward was freed (the graph was already used by backward()); ` +
              `pass { retainGraph: true } to keep it`
          : `${op}: argument '${arg}' (shape ${fmtShape(t.shape)}, made by ${t.creator}) was disposed ` +
              `(explicitly or by the end of a tidy scope); keep() it or create it outside the scope`,
      );
    }
    if (t.engine !== this) {
      throw new ArgumentError(
        `${op}: argument '${arg}' belongs to another engine; tensors cannot be mixed across engines`,
      );
    }
  }

  private assertDtypeSupported(backend: Backend, dtype: DType, op: string): void {
    if (!backend.dtypes.includes(dtype)) {
      throw new ArgumentError(
        `${op}: backend '${backend.name}' does not support dtype ${dtype} (supported: ${backend.dtypes.join(', ')})`,
      );
    }
  }

  /** @internal Handle of `t`'s data on `backend`, moving the data there if needed. */
  handleOn(t: Tensor, backend: Backend): DataHandle {
    const s = t.storage;
    if (s.backend === backend) return s.handle;
    this.assertDtypeSupported(backend, t.dtype, 'move');
    // A copy: the source may recycle its buffer once freed.
    const values = s.backend.readSync(s.handle).slice();
    const handle = backend.write(values, t.shape, t.dtype);
    s.backend.free(s.handle);
    s.backend = backend;
    s.handle = handle;
    return handle;
  }

  readSync(t: Tensor): TypedArray {
    this.assertUsable(t, 'dataSync', 'tensor');
    return t.storage.backend.readSync(t.storage.handle).slice();
  }

  async read(t: Tensor): Promise<TypedArray> {
    this.assertUsable(t, 'data', 'tensor');
    const values = await t.storage.backend.read(t.storage.handle);
    return values.slice();
  }

  disposeTensor(t: Tensor): void {
    if (t.disposedFlag) return;
    t.disposedFlag = true;
    if (t.isHandle) this.numSaved--;
    else {
      this.numTensors--;
      if (t.held) this.finalizer.unregister(t);
    }
    this.releaseStorage(t.storage);
    if (t.gradValue) {
      t.gradValue.dispose();
      t.gradValue = null;
    }
    if (t instanceof Variable && this.variables.get(t.name) === t) this.variables.delete(t.name);
    if (t.node && !t.isHandle) this.decRef(t.node);
  }

  // ---------------------------------------------------------------- scopes

  /** Runs `fn`, disposing every tensor it created except those it returns (or keeps). Works with async fn. */
  tidy<T>(fn: () => T): T;
  tidy<T>(name: string, fn: () => T): T;
  tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
    const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
    if (typeof fn !== 'function') throw new ArgumentError('tidy: expected a function');
    const scope: Scope = { tensors: [] };
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.endScope(scope, undefined);
      throw e;
    }
    if (result instanceof Promise) {
      return result.then(
        (r: unknown) => {
          this.endScope(scope, r);
          return r;
        },
        (e: unknown) => {
          this.endScope(scope, undefined);
          throw e;
        },
      ) as T;
    }
    this.endScope(scope, result);
    return result;
  }

  private endScope(scope: Scope, result: unknown): void {
    const keepSet = new Set<Tensor>();
    collectTensors(result, keepSet);
    const i = this.scopes.lastIndexOf(scope);
    if (i >= 0) this.scopes.splice(i, 1);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope.tensors) {
      if (t.disposedFlag) continue;
      if (!keepSet.has(t) && !t.kept) t.dispose();
      else if (parent) parent.tensors.push(t);
      else this.registerFinalizer(t);
    }
  }

  /** Exempts `t` from disposal by enclosing tidy scopes. */
  keep<T extends Tensor>(t: T): T {
    t.kept = true;
    return t;
  }

  /** Disposes every tensor found in a tensor, array or object. */
  dispose(container: unknown): void {
    const set = new Set<Tensor>();
    collectTensors(container, set);
    for (const t of set) t.dispose();
  }

  memory(): MemoryInfo {
    const backends: Record<string, BackendMemory> = {};
    for (const [name, entry] of this.backends)
      if (entry.instance) backends[name] = entry.instance.memory();
    return {
      numTensors: this.numTensors,
      numDataBuffers: this.numBuffers,
      numBytes: this.numBytes,
      numSavedTensors: this.numSaved,
      backends,
    };
  }

  // ---------------------------------------------------------------- running ops

  /** Runs a registered op: validation, kernel dispatch (or composition/fallback), tape recording. */
  run(opName: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor | Tensor[] {
    const def = this.ops.get(opName);
    if (!def) {
      throw new KernelNotFoundError(
        `${opName}: op is not registered on this engine; register the op family that defines it (e.g. use(math))`,
      );
    }
    inputs.forEach((t, i) => this.assertUsable(t, opName, inputName(def, i)));
    const specs: InputSpec[] = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
    const outSpecs = this.inferOutputs(def, specs, attrs);
    const record =
      this.gradEnabled && !def.nondifferentiable && inputs.some((t) => t.requiresGradFlag);
    const gradFn = record ? this.resolveGrad(def) : undefined;

    let outputs: Tensor[];
    if (def.aliasInput !== undefined) {
      const src = inputs[def.aliasInput]!;
      outputs = [this.wrap(src.storage, outSpecs[0]!.shape, outSpecs[0]!.dtype, opName)];
    } else if (record && !gradFn && def.composite) {
      // No gradient of its own: differentiate through the composition (its intermediates stay internal).
      return this.tidy(() => def.composite!([...inputs], attrs));
    } else {
      const backend = this.backend;
      const kernel = this.kernels.get(backend.name)?.get(opName);
      if (kernel) outputs = this.runKernel(kernel, backend, opName, inputs, attrs, outSpecs);
      else if (def.composite) {
        const made = this.withGradMode(false, () =>
          this.tidy(() => def.composite!([...inputs], attrs)),
        );
        // A composition may hand back an input (or a recorded tensor): give the op its own outputs.
        outputs = (Array.isArray(made) ? made : [made]).map((t) =>
          t.node || inputs.includes(t) ? this.wrap(t.storage, t.shape, t.dtype, opName) : t,
        );
      } else outputs = this.runFallback(opName, inputs, attrs, outSpecs);
    }
    if (this.flags.detectAnomaly) this.checkAnomaly(opName, inputs, outputs);
    if (record) {
      if (gradFn) this.record(opName, inputs, outputs, outSpecs, attrs, gradFn, []);
      else this.record(opName, inputs, outputs, outSpecs, attrs, missingGradient(opName), []);
    }
    return outputs.length === 1 && (def.numOutputs ?? 1) === 1 ? outputs[0]! : outputs;
  }

  private inferOutputs(def: OpDef, specs: InputSpec[], attrs: Attrs): OutputSpec[] {
    const n =
      typeof def.numOutputs === 'function' ? def.numOutputs(specs, attrs) : (def.numOutputs ?? 1);
    const shapeOrShapes = def.inferShape(specs, attrs);
    // A multi-output op with one output may return [shape] or shape.
    const isList = shapeOrShapes.length > 0 && Array.isArray(shapeOrShapes[0]);
    const shapes = (isList ? shapeOrShapes : [shapeOrShapes]) as Shape[];
    if (shapes.length !== n) {
      throw new TapegradError(
        `${def.name}: shape inference returned ${shapes.length} shapes for ${n} outputs`,
      );
    }
    const dt = def.inferDtype ? def.inferDtype(specs, attrs) : (specs[0]?.dtype ?? 'float32');
    return shapes.map((shape, i) => ({ shape, dtype: Array.isArray(dt) ? dt[i]! : dt }));
  }

  private runKernel(
    kernel: Kernel,
    backend: Backend,
    opName: string,
    inputs: readonly Tensor[],
    attrs: Attrs,
    outSpecs: OutputSpec[],
  ): Tensor[] {
    for (const spec of outSpecs) this.assertDtypeSupported(backend, spec.dtype, opName);
    const infos: TensorInfo[] = inputs.map((t) => ({
      dataId: this.handleOn(t, backend),
      shape: t.shape,
      dtype: t.dtype,
    }));
    const raw = kernel({ inputs: infos, attrs, outputs: outSpecs, backend });
    const results = Array.isArray(raw) ? raw : [raw];
    if (results.length !== outSpecs.length) {
      throw new TapegradError(
        `${opName}: kernel on '${backend.name}' returned ${results.length} outputs, expected ${outSpecs.length}`,
      );
    }
    return results.map((info, i) => {
      const spec = outSpecs[i]!;
      if (!shapesEqual(info.shape, spec.shape) || info.dtype !== spec.dtype) {
        throw new TapegradError(
          `${opName}: kernel on '${backend.name}' returned ${fmtShape(info.shape)} ${info.dtype}, expected ${fmtShape(spec.shape)} ${spec.dtype}`,
        );
      }
      const aliased = inputs.find((t) => t.storage.handle === info.dataId);
      const storage = aliased
        ? aliased.storage
        : this.newStorage(backend, info.dataId, spec.shape, spec.dtype);
      return this.wrap(storage, spec.shape, spec.dtype, opName);
    });
  }

  private runFallback(
    opName: string,
    inputs: readonly Tensor[],
    attrs: Attrs,
    outSpecs: OutputSpec[],
  ): Tensor[] {
    const active = this.activeBackendName();
    const candidates = this.backendsWithKernel(opName).filter((b) => b !== active);
    if (candidates.length === 0 || this.flags.fallback === 'error') {
      throw new KernelNotFoundError(
        `${opName}: backend '${active}' has no kernel for this op` +
          (candidates.length
            ? ` (backends that have it: ${candidates.join(', ')}; fallback is disabled)`
            : ' and no other backend has one'),
      );
    }
    const name = candidates.sort(
      (a, b) =>
        (this.backends.get(b)?.plugin.priority ?? 0) - (this.backends.get(a)?.plugin.priority ?? 0),
    )[0]!;
    if (this.flags.fallback === 'warn' && !this.warned.has(`${opName}:${active}`)) {
      this.warned.add(`${opName}:${active}`);
      console.warn(
        `tapegrad: ${opName} has no kernel on '${active}'; running it on '${name}' (data is moved)`,
      );
    }
    const backend = this.findBackend(name);
    return this.runKernel(
      this.kernels.get(name)!.get(opName)!,
      backend,
      opName,
      inputs,
      attrs,
      outSpecs,
    );
  }

  private checkAnomaly(opName: string, inputs: readonly Tensor[], outputs: Tensor[]): void {
    outputs.forEach((t, i) => {
      if (!isFloatDtype(t.dtype)) return;
      const values = t.storage.backend.readSync(t.storage.handle);
      for (let j = 0; j < values.length; j++) {
        const v = values[j]!;
        if (Number.isFinite(v)) continue;
        const where = this.backwardOp ? ` (in the backward of ${this.backwardOp})` : '';
        const makers = inputs.map((x) => x.creator).join(', ') || 'none';
        for (const o of outputs) o.dispose();
        throw new AnomalyError(
          `detectAnomaly: ${opName}${where} produced ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} ` +
            `at output ${i}, element ${j} (shape ${fmtShape(t.shape)}); its inputs were made by: ${makers}`,
        );
      }
    });
  }

  // ---------------------------------------------------------------- tape

  /** @internal Runs `fn` with recording on or off. */
  withGradMode<T>(enabled: boolean, fn: () => T): T {
    const prev = this.gradEnabled;
    this.gradEnabled = enabled;
    try {
      return fn();
    } finally {
      this.gradEnabled = prev;
    }
  }

  /** @internal Records a tape node for `outputs` computed from `inputs`. */
  record(
    opName: string,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    outSpecs: readonly OutputSpec[],
    attrs: Attrs,
    gradFn: GradFn,
    saved: readonly Tensor[],
  ): void {
    const node = new TapeNode(opName, [], [], outSpecs, attrs, gradFn, []);
    for (const t of inputs) {
      const h = this.makeHandle(t);
      node.inputs.push(h);
      if (h.node) h.node.refCount++;
    }
    for (const t of saved) node.saved.push(this.makeHandle(t));
    outputs.forEach((t, i) => {
      if (t.node) {
        // The op returned an input unchanged: give the output its own storage reference.
        throw new TapegradError(
          `${opName}: internal error, output already belongs to ${t.node.opName}`,
        );
      }
      t.node = node;
      if (t.held) t.held.node = node;
      t.outputIndex = i;
      t.requiresGradFlag = isFloatDtype(t.dtype);
      node.refCount++;
      const h = this.makeHandle(t);
      node.outputs.push(h);
    });
  }

  /** @internal An internal tensor sharing `t`'s data and graph position. */
  makeHandle(t: Tensor): Tensor {
    t.storage.refs++;
    this.numSaved++;
    const h = new Tensor(this, t.storage, t.shape, t.dtype, t.creator);
    h.isHandle = true;
    h.node = t.node;
    h.outputIndex = t.outputIndex;
    h.leaf = t.node ? null : (t.leaf ?? t);
    h.requiresGradFlag = t.requiresGradFlag;
    return h;
  }

  private decRef(node: TapeNode): void {
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (--n.refCount > 0) continue;
      this.freeSaved(n);
      for (const h of n.inputs) if (h.node) stack.push(h.node);
    }
  }

  /** @internal Frees a node's saved tensors (after backward, or when the node is unreachable). */
  freeSaved(node: TapeNode): void {
    if (node.savedFreed) return;
    node.savedFreed = true;
    for (const h of [...node.inputs, ...node.outputs, ...node.saved]) {
      if (h.disposedFlag) continue;
      h.disposedFlag = true;
      this.numSaved--;
      this.releaseStorage(h.storage);
    }
  }

  /** PyTorch-style backward from `root`, accumulating into leaves' `.grad`. */
  backward(root: Tensor, gradient?: Tensor | number, options: BackwardOptions = {}): void {
    this.assertUsable(root, 'backward', 'tensor');
    if (!root.requiresGradFlag) {
      throw new GradientError(
        `backward: the tensor (shape ${fmtShape(root.shape)}, made by ${root.creator}) does not require grad: ` +
          `no input of the computation had requiresGrad set (or it ran inside noGrad)`,
      );
    }
    this.tidy(() => {
      const seed = this.seedFor('backward', root, gradient);
      const { leafGrads } = runBackward(this, {
        roots: [root],
        seeds: [seed],
        createGraph: options.createGraph ?? false,
        retainGraph: options.retainGraph ?? options.createGraph ?? false,
      });
      for (const [leaf, g] of leafGrads) {
        const prev = leaf.gradValue;
        leaf.grad = (prev ? this.run('AddN', [prev, g]) : this.run('Identity', [g])) as Tensor;
      }
    });
  }

  /** @internal A seed gradient: explicit, or ones for a one-element tensor. */
  seedFor(op: string, y: Tensor, gradient: Tensor | number | undefined): Tensor {
    if (gradient === undefined) {
      if (y.size !== 1) {
        throw new GradientError(
          `${op}: the output has shape ${fmtShape(y.shape)}; a gradient seed is only implicit for a scalar output. ` +
            `Pass the seed (dy) explicitly, or reduce the output (e.g. sum) first`,
        );
      }
      return this.fill(y.shape, 1, y.dtype);
    }
    if (typeof gradient === 'number') return this.fill(y.shape, gradient, y.dtype);
    this.assertUsable(gradient, op, 'gradient');
    if (!shapesEqual(gradient.shape, y.shape)) {
      throw new GradientError(
        `${op}: the seed gradient has shape ${fmtShape(gradient.shape)}, the output ${fmtShape(y.shape)}`,
      );
    }
    return gradient;
  }

  /** @internal A tensor of `shape` filled with `value`. */
  fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
    return this.makeFilled(shape, value, dtype, 'fill');
  }

  /** Gradients of `ys` (summed) with respect to `xs`. */
  gradients(
    ys: Tensor | readonly Tensor[],
    xs: readonly Tensor[],
    options: GradientsOptions = {},
  ): (Tensor | null)[] {
    const yList = Array.isArray(ys) ? (ys as readonly Tensor[]) : [ys as Tensor];
    yList.forEach((y, i) => this.assertUsable(y, 'gradients', `ys[${i}]`));
    xs.forEach((x, i) => this.assertUsable(x, 'gradients', `xs[${i}]`));
    const gradYs = options.gradYs;
    if (gradYs && gradYs.length !== yList.length) {
      throw new GradientError(
        `gradients: gradYs has ${gradYs.length} entries for ${yList.length} ys`,
      );
    }
    const createGraph = options.createGraph ?? false;
    return this.tidy(() => {
      const seeds = yList.map((y, i) =>
        gradYs?.[i] ? this.seedFor('gradients', y, gradYs[i]) : this.fill(y.shape, 1, y.dtype),
      );
      const { xsGrads } = runBackward(this, {
        roots: yList,
        seeds,
        xs,
        stopGradients: options.stopGradients,
        createGraph,
        retainGraph: options.retainGraph ?? createGraph,
      });
      return xs.map((x, i) => {
        const g = xsGrads[i];
        // A fresh tensor per result: grad functions may return the same tensor for several inputs.
        if (g) return this.run('Identity', [g]) as Tensor;
        return options.unconnected === 'zero' ? this.zeros(x.shape, x.dtype) : null;
      });
    });
  }

  /** @internal `x` as a differentiation target: an alias leaf, or Identity(x) when x is itself on a tape. */
  watch(x: Tensor): Tensor {
    if (!isFloatDtype(x.dtype)) {
      throw new GradientError(
        `grad: can only differentiate with respect to float tensors, got ${x.dtype} (shape ${fmtShape(x.shape)})`,
      );
    }
    if (x.requiresGradFlag && this.gradEnabled) return this.run('Identity', [x]) as Tensor;
    const leaf = this.wrap(x.storage, x.shape, x.dtype, x.creator);
    leaf.requiresGradFlag = true;
    return leaf;
  }

  detach(t: Tensor): Tensor {
    this.assertUsable(t, 'detach', 'tensor');
    return this.wrap(t.storage, t.shape, t.dtype, t.creator);
  }

  // ---------------------------------------------------------------- variables

  variable(initial: Tensor, trainable = true, name?: string, dtype?: DType): Variable {
    this.assertUsable(initial, 'variable', 'initialValue');
    if (dtype !== undefined && dtype !== initial.dtype) {
      throw new ArgumentError(
        `variable: initial value is ${initial.dtype} but dtype ${dtype} was requested; cast it first`,
      );
    }
    const varName = name ?? `variable_${this.nextVariableId++}`;
    if (this.variables.has(varName)) {
      throw new ArgumentError(
        `variable: a variable named '${varName}' already exists on this engine`,
      );
    }
    const v = new Variable(this, initial, trainable, varName);
    v.kept = true;
    this.numTensors++;
    this.registerFinalizer(v);
    this.variables.set(varName, v);
    return v;
  }

  /** @internal */
  assignVariable(v: Variable, value: Tensor): void {
    this.assertUsable(v, 'assign', 'variable');
    this.assertUsable(value, 'assign', 'value');
    if (!shapesEqual(v.shape, value.shape) || v.dtype !== value.dtype) {
      throw new ArgumentError(
        `assign: variable '${v.name}' is ${fmtShape(v.shape)} ${v.dtype}; the new value is ${fmtShape(value.shape)} ${value.dtype}`,
      );
    }
    if (value.storage === v.storage) return;
    value.storage.refs++;
    this.releaseStorage(v.storage);
    v.storage = value.storage;
    if (v.held) v.held.storage = value.storage;
  }
}

export interface GradientsOptions {
  /** Seed gradients for `ys` (default ones: non-scalar ys are summed). */
  gradYs?: readonly (Tensor | undefined)[];
  /** Tensors treated as constants. */
  stopGradients?: readonly Tensor[];
  /** Result for an x that ys do not depend on: null (default) or zeros. */
  unconnected?: 'none' | 'zero';
  /** Record the backward pass so the gradients are differentiable. */
  createGraph?: boolean;
  retainGraph?: boolean;
}

export type { BackwardRequest };

/** @internal What the leak safety net needs of a tensor, without referring to it. */
export interface FinalHeld {
  storage: Storage;
  node: TapeNode | null;
  creator: string;
  createdAt: string | undefined;
  id: number;
}

function inputName(def: OpDef, i: number): string {
  return def.inputNames?.[i] ?? String.fromCharCode(97 + i);
}

function missingGradient(opName: string): GradFn {
  return () => {
    throw new GradientError(
      `${opName}: no gradient is defined for this op; register one with registerGradient('${opName}', fn) ` +
        `or wrap it in stopGradient`,
    );
  };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/**
 * Collects the tensors in a value: a tensor, array, Map or plain object (one level of nesting and more).
 *
 * @example
 * ```ts
 * const a = tensor([1]);
 * const b = tensor([2]);
 * const found = new Set<Tensor>();
 * collectTensors({ a, list: [b, 3] }, found);
 * console.log(found.size); // 2
 * ```
 */
export function collectTensors(value: unknown, out: Set<Tensor>, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectTensors(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, out, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collectTensors(v, out, seen);
}
