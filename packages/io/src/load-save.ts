import type { Engine, Tensor } from '@tapegrad/core';
import { ArgumentError, getDefaultEngine, Tensor as TensorClass } from '@tapegrad/core';
import type { HeaderEntry, RawTensor } from './format.js';
import {
  checkItem,
  decodeSafetensors,
  encodeItems,
  parseSafetensors,
  validateMetadata,
} from './format.js';
import type { LoadSource, SaveTarget } from './source.js';
import { describeSource, readSource, writeTarget } from './source.js';

export interface SaveOptions {
  /** String key/value pairs stored under `__metadata__` in the header. */
  metadata?: Record<string, string>;
}

export interface LoadOptions {
  /** Engine to create the tensors on (default: the default engine). */
  engine?: Engine;
}

/**
 * Saves named tensors in the safetensors format to `target` (a file path in Node, a
 * `file:` URL, `'bytes'`/undefined, or a function receiving the bytes) and resolves
 * to the encoded bytes. Tensor data is read asynchronously, so any backend works.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const path = join(tmpdir(), 'tapegrad-example-save.safetensors');
 * const bytes = await io.save({ w: tensor([[1, 2], [3, 4]]), step: scalar(7, 'int32') }, path);
 * console.log(bytes.length > 8); // true
 * const { w } = await io.load(path);
 * w!.print(); // [[1, 2], [3, 4]]
 * ```
 */
export async function save(
  tensorsByName: Record<string, Tensor | RawTensor>,
  target?: SaveTarget,
  options: SaveOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const ctx = { op: 'save', source: target === undefined ? "'bytes'" : describeSource(target) };
  if (typeof tensorsByName !== 'object' || tensorsByName === null || Array.isArray(tensorsByName)) {
    throw new ArgumentError(
      'save: expected an object mapping names to tensors, e.g. save({ w, b }, path)',
    );
  }
  const metadata = validateMetadata(options.metadata, ctx);
  const entries = Object.entries(tensorsByName);
  const checked = entries.map(([name, value]) => {
    const { dtype, shape } = checkItem(name, value, ctx);
    return { name, dtype, shape };
  });
  const data = await Promise.all(
    entries.map(async ([, value]) => (value instanceof TensorClass ? value.data() : value.data)),
  );
  const bytes = encodeItems(
    checked.map((c, i) => ({ name: c.name, dtype: c.dtype, shape: c.shape, data: data[i]! })),
    metadata,
  );
  await writeTarget(target, bytes, ctx);
  return bytes;
}

/**
 * Loads every tensor of a safetensors file, by name. The whole file is validated
 * before any tensor is created; a malformed or truncated file throws a CheckpointError.
 *
 * @example
 * ```ts
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const path = join(tmpdir(), 'tapegrad-example-load.safetensors');
 * await io.save({ bias: tensor([0.5, -0.5]) }, path);
 * const tensors = await io.load(path); // also: bytes, a URL or a File in browsers
 * tensors.bias!.print(); // [0.5, -0.5]
 * ```
 */
export async function load(
  source: LoadSource,
  options: LoadOptions = {},
): Promise<Record<string, Tensor>> {
  const ctx = { op: 'load', source: describeSource(source) };
  const bytes = await readSource(source, ctx);
  return decodeSafetensors(bytes, options.engine ?? getDefaultEngine(), ctx).tensors;
}

/** What `inspect` reports about one tensor. */
export interface TensorInfoEntry {
  /** dtype code in the file (F32, BF16, I64, ...). */
  dtype: HeaderEntry['dtype'];
  /** The tapegrad dtype it loads as. */
  loadsAs: HeaderEntry['loadsAs'];
  shape: number[];
  dataOffsets: [number, number];
}

/**
 * Reads and validates a checkpoint's header (and the layout of its data) without
 * creating tensors: tensor names, dtypes, shapes and the metadata.
 *
 * @example
 * ```ts
 * const bytes = await io.save({ w: zeros([2, 3]) }, 'bytes', { metadata: { epoch: '3' } });
 * const { tensors, metadata } = await io.inspect(bytes); // no tensor is created
 * console.log(tensors.w!.shape); // [2, 3]
 * console.log(tensors.w!.dtype); // 'F32'
 * console.log(metadata); // → { epoch: '3' }
 * ```
 */
export async function inspect(
  source: LoadSource,
): Promise<{ tensors: Record<string, TensorInfoEntry>; metadata: Record<string, string> }> {
  const ctx = { op: 'inspect', source: describeSource(source) };
  const file = parseSafetensors(await readSource(source, ctx), ctx);
  return {
    tensors: Object.fromEntries(
      file.entries.map((e) => [
        e.name,
        { dtype: e.dtype, loadsAs: e.loadsAs, shape: e.shape, dataOffsets: e.dataOffsets },
      ]),
    ),
    metadata: file.metadata,
  };
}
