import type { Engine, Tensor, Variable } from '@tapegrad/core';
import { ArgumentError, fmtShape, getDefaultEngine, Tensor as TensorClass } from '@tapegrad/core';
import type { ErrorContext } from './errors.js';
import { CheckpointError, checkpointError, errorMessage, q } from './errors.js';
import type { EncodeItem, HeaderEntry } from './format.js';
import { encodeItems, makeTensors, parseSafetensors, validateMetadata } from './format.js';
import type { LoadSource, SaveTarget } from './source.js';
import { describeSource, readSource, writeTarget } from './source.js';

/** The prefix under which optimizer state is stored in a variables checkpoint. */
export const OPTIMIZER_PREFIX = 'optimizer/';

/** A named tensor, as optimizers exchange their state (`getWeights`/`setWeights`). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Anything with tapegrad's (and tfjs's) optimizer state interface. `getWeights` may
 * return fresh tensors or its own; `setWeights` must copy what it keeps, because the
 * tensors passed to it are disposed afterwards.
 */
export interface OptimizerLike {
  getWeights(): readonly NamedTensor[];
  setWeights(weights: NamedTensor[]): void;
}

/** Variables by their own `name` (an array), or under the given keys (an object). */
export type VariableList = readonly Variable[] | Record<string, Variable>;

export interface SaveVariablesOptions {
  /** Also saves `optimizer.getWeights()`, under `optimizer/<name>`. */
  optimizer?: OptimizerLike;
  /** String key/value pairs stored under `__metadata__`. */
  metadata?: Record<string, string>;
}

export interface LoadVariablesOptions {
  /** Restores the optimizer state saved with the variables (`optimizer.setWeights`). */
  optimizer?: OptimizerLike;
  /**
   * When true (default), a variable missing from the checkpoint (or, with `optimizer`,
   * a checkpoint without optimizer state) is an error. Entries of the file that no
   * variable asks for are never an error; they are listed in `unexpected`.
   */
  strict?: boolean;
}

export interface LoadVariablesResult {
  /** Checkpoint names that were assigned to variables. */
  loaded: string[];
  /** Variables not found in the checkpoint (only when `strict: false`). */
  missing: string[];
  /** Checkpoint entries no variable (or optimizer) consumed. */
  unexpected: string[];
  /** Number of optimizer state tensors restored. */
  optimizerWeights: number;
  metadata: Record<string, string>;
}

function isVariableArray(v: VariableList): v is readonly Variable[] {
  return Array.isArray(v);
}

function isOptimizerLike(o: unknown): o is OptimizerLike {
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof (o as OptimizerLike).getWeights === 'function' &&
    typeof (o as OptimizerLike).setWeights === 'function'
  );
}

/** Normalizes a variable list to [checkpoint name, variable] pairs, validating it. */
function namedVariables(vars: VariableList | undefined, ctx: ErrorContext): [string, Variable][] {
  let pairs: [string, Variable][];
  if (vars === undefined) {
    pairs = [...getDefaultEngine().variables].map(([n, v]) => [n, v]);
  } else if (isVariableArray(vars)) {
    pairs = vars.map((v, i) => {
      if (!(v instanceof TensorClass) || typeof (v as { name?: unknown }).name !== 'string') {
        throw new ArgumentError(`${ctx.op}: vars[${i}] is not a Variable`);
      }
      return [v.name, v];
    });
  } else if (typeof vars === 'object' && vars !== null) {
    pairs = Object.entries(vars);
  } else {
    throw new ArgumentError(`${ctx.op}: vars must be an array of variables or an object of them`);
  }
  const seen = new Map<string, Variable>();
  for (const [name, v] of pairs) {
    if (!(v instanceof TensorClass)) {
      throw new ArgumentError(`${ctx.op}: ${q(name)} is not a Variable`);
    }
    if (v.isDisposed) {
      throw checkpointError(ctx, `variable ${q(name)} was disposed`, name);
    }
    if (name.startsWith(OPTIMIZER_PREFIX) || name === '__metadata__') {
      throw checkpointError(
        ctx,
        `variable name ${q(name)} is reserved (${q(OPTIMIZER_PREFIX)} holds optimizer state); rename it or pass vars as an object with other keys`,
        name,
      );
    }
    const other = seen.get(name);
    if (other !== undefined && other !== v) {
      throw checkpointError(ctx, `two different variables are named ${q(name)}`, name);
    }
    seen.set(name, v);
  }
  return [...seen];
}

/**
 * Optimizer weights as tensors this function owns (detached views sharing storage):
 * fresh tensors made by `getWeights` are released by a tidy scope; tensors the
 * optimizer keeps are untouched.
 */
function snapshotOptimizer(
  optimizer: OptimizerLike,
  engine: Engine,
  ctx: ErrorContext,
): NamedTensor[] {
  return engine.tidy(() => {
    let weights: readonly NamedTensor[];
    try {
      weights = optimizer.getWeights();
    } catch (e) {
      throw checkpointError(ctx, `optimizer.getWeights() failed: ${errorMessage(e)}`, undefined, e);
    }
    return weights.map(({ name, tensor }) => {
      if (typeof name !== 'string' || !(tensor instanceof TensorClass) || tensor.isDisposed) {
        throw checkpointError(
          ctx,
          `optimizer.getWeights() returned an invalid entry ${q(String(name))}`,
        );
      }
      return { name, tensor: tensor.detach() };
    });
  });
}

/**
 * Saves variables (and optionally optimizer state, under `optimizer/`) to a
 * safetensors checkpoint. Resolves to the bytes written.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]), true, 'dense/w');
 * const opt = train.adam(0.1);
 * opt.minimize(() => w.square().sum(), false, [w]);
 * const bytes = await io.saveVariables([w], 'bytes', { optimizer: opt }); // or a file path
 * const { tensors } = await io.inspect(bytes);
 * console.log(Object.keys(tensors).includes('dense/w')); // true
 * ```
 */
export async function saveVariables(
  vars: VariableList | undefined,
  target?: SaveTarget,
  options: SaveVariablesOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const ctx = {
    op: 'saveVariables',
    source: target === undefined ? "'bytes'" : describeSource(target),
  };
  const metadata = validateMetadata(options.metadata, ctx);
  const pairs = namedVariables(vars, ctx);
  if (options.optimizer !== undefined && !isOptimizerLike(options.optimizer)) {
    throw new ArgumentError(`saveVariables: optimizer must have getWeights() and setWeights()`);
  }
  const engine = pairs[0]?.[1].engine ?? getDefaultEngine();
  const state = options.optimizer ? snapshotOptimizer(options.optimizer, engine, ctx) : [];
  try {
    const named: [string, Tensor][] = [
      ...pairs,
      ...state.map(({ name, tensor }): [string, Tensor] => [OPTIMIZER_PREFIX + name, tensor]),
    ];
    const names = new Set<string>();
    for (const [name] of named) {
      if (names.has(name)) throw checkpointError(ctx, `two entries are named ${q(name)}`, name);
      names.add(name);
    }
    const data = await Promise.all(named.map(([, t]) => t.data()));
    const items: EncodeItem[] = named.map(([name, t], i) => ({
      name,
      dtype: t.dtype,
      shape: t.shape,
      data: data[i]!,
    }));
    const bytes = encodeItems(items, metadata);
    await writeTarget(target, bytes, ctx);
    return bytes;
  } finally {
    for (const { tensor } of state) tensor.dispose();
  }
}

/**
 * Loads a checkpoint into variables, matched by name, checking dtype and shape.
 * Everything (the file, every variable's entry, dtype, shape and value range) is
 * validated before the first assignment: on any error no variable changes. With
 * `optimizer`, its state is restored with `setWeights` (if that throws, the previous
 * state is put back, best effort, and no variable changes).
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]), true, 'layer/w');
 * const bytes = await io.saveVariables([w], 'bytes');
 * w.assign(tensor([0, 0]));
 * const result = await io.loadVariables(bytes, [w]);
 * console.log(result.loaded); // ['layer/w']
 * w.print(); // [1, 2]
 * ```
 */
export async function loadVariables(
  source: LoadSource,
  vars?: VariableList,
  options: LoadVariablesOptions = {},
): Promise<LoadVariablesResult> {
  const ctx = { op: 'loadVariables', source: describeSource(source) };
  const strict = options.strict ?? true;
  const { optimizer } = options;
  if (optimizer !== undefined && !isOptimizerLike(optimizer)) {
    throw new ArgumentError(`loadVariables: optimizer must have getWeights() and setWeights()`);
  }
  const pairs = namedVariables(vars, ctx);
  const file = parseSafetensors(await readSource(source, ctx), ctx);
  const byName = new Map(file.entries.map((e) => [e.name, e]));

  const problems: { name?: string; text: string }[] = [];
  const missing: string[] = [];
  const matched: [HeaderEntry, Variable][] = [];
  for (const [name, v] of pairs) {
    // A variable disposed while the file was being read.
    if (v.isDisposed) {
      problems.push({ name, text: `variable ${q(name)} was disposed` });
      continue;
    }
    const e = byName.get(name);
    if (e === undefined) {
      missing.push(name);
      if (strict) problems.push({ name, text: `${q(name)} is missing from the checkpoint` });
      continue;
    }
    if (e.shape.join() !== v.shape.join()) {
      problems.push({
        name,
        text: `${q(name)} has shape ${fmtShape(e.shape)} in the checkpoint but the variable is ${fmtShape(v.shape)}`,
      });
    }
    if (e.loadsAs !== v.dtype) {
      problems.push({
        name,
        text: `${q(name)} is ${e.dtype} in the checkpoint (loads as ${e.loadsAs}) but the variable is ${v.dtype}`,
      });
    }
    matched.push([e, v]);
  }
  const optimizerEntries = file.entries.filter((e) => e.name.startsWith(OPTIMIZER_PREFIX));
  if (optimizer && strict && optimizerEntries.length === 0) {
    problems.push({
      text: `an optimizer was given but the checkpoint has no optimizer state (no ${q(OPTIMIZER_PREFIX + '...')} entries); pass strict: false to skip it`,
    });
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    const text =
      problems.length === 1
        ? first.text
        : `${problems.length} problems: ${problems.map((p) => p.text).join('; ')}`;
    throw checkpointError(
      ctx,
      `${text} (no variable was changed)`,
      problems.length === 1 ? first.name : undefined,
    );
  }

  const engine = pairs[0]?.[1].engine ?? getDefaultEngine();
  const consumed = new Set(matched.map(([e]) => e.name));
  const stateEntries = optimizer ? optimizerEntries : [];
  for (const e of stateEntries) consumed.add(e.name);

  // Convert and range-check all data, then create all tensors; nothing is assigned yet.
  const entries = [...matched.map(([e]) => e), ...stateEntries];
  const owners = new Map(matched.map(([e, v]) => [e, v.engine]));
  const tensors = makeTensors(file, entries, (e) => owners.get(e) ?? engine, ctx);
  const values = tensors.slice(0, matched.length);
  const state = tensors.slice(matched.length);
  try {
    if (optimizer && state.length > 0) {
      // Best effort: a fresh optimizer may not be able to report its (empty) state.
      let backup: NamedTensor[] = [];
      try {
        backup = snapshotOptimizer(optimizer, engine, ctx);
      } catch {
        // nothing to restore
      }
      try {
        optimizer.setWeights(
          stateEntries.map((e, i) => ({
            name: e.name.slice(OPTIMIZER_PREFIX.length),
            tensor: state[i]!,
          })),
        );
      } catch (err) {
        try {
          optimizer.setWeights(backup);
        } catch {
          // best effort: the error below says what failed
        }
        throw err instanceof CheckpointError
          ? err
          : checkpointError(
              ctx,
              `optimizer.setWeights rejected the saved state: ${errorMessage(err)} (no variable was changed)`,
              undefined,
              err,
            );
      } finally {
        for (const { tensor } of backup) tensor.dispose();
      }
    }
    // Cannot fail: every variable is alive and matches its value in shape and dtype.
    matched.forEach(([, v], i) => v.assign(values[i]!));
  } finally {
    for (const t of tensors) t.dispose();
  }
  return {
    loaded: matched.map(([e]) => e.name),
    missing,
    unexpected: file.entries.filter((e) => !consumed.has(e.name)).map((e) => e.name),
    optimizerWeights: state.length,
    metadata: file.metadata,
  };
}
