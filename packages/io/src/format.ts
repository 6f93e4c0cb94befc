/**
 * The safetensors format (https://github.com/huggingface/safetensors):
 *
 *   [8 bytes]  N, the header length, unsigned 64-bit little-endian
 *   [N bytes]  a UTF-8 JSON object, padded with spaces (here: to a multiple of 8):
 *              { "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] },
 *                "__metadata__": { "<key>": "<string value>" } }
 *   [rest]     the tensors' little-endian, row-major data; offsets are relative to the
 *              start of this section, and the tensors cover it exactly (no gaps, no overlaps).
 *
 * Everything here is pure (no I/O), so it runs unchanged in browsers.
 */
import type { DType, Engine, Shape, Tensor, TypedArray } from '@tapegrad/core';
import { fmtShape, getDefaultEngine, Tensor as TensorClass } from '@tapegrad/core';
import type { SafetensorsDtype } from './dtypes.js';
import {
  ACCEPTED_DTYPE_LIST,
  LITTLE_ENDIAN,
  LOADABLE_DTYPES,
  SAVE_CODES,
  ConversionProblem,
  convertRaw,
  copyToHost,
  isLoadableDtype,
  swapBytes,
} from './dtypes.js';
import type { ErrorContext } from './errors.js';
import { CheckpointError, checkpointError, errorMessage, q } from './errors.js';

export const METADATA_KEY = '__metadata__';

/** One tensor described by a safetensors header (validated). */
export interface HeaderEntry {
  name: string;
  /** The dtype code in the file. */
  dtype: SafetensorsDtype;
  /** The tapegrad dtype it loads as. */
  loadsAs: DType;
  shape: number[];
  /** `data_offsets`, relative to the start of the data section. */
  dataOffsets: [number, number];
}

/** A validated safetensors file: its header and where its data starts. */
export interface ParsedSafetensors {
  /** The tensors in file order (by data offset). */
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data section in `bytes` (8 + header length). */
  dataStart: number;
  bytes: Uint8Array;
}

/** A tensor given as plain data (what `encodeSafetensors` accepts besides a Tensor). */
export interface RawTensor {
  dtype: DType;
  shape: Shape;
  /** Row-major values: Float32Array, Float64Array, Int32Array or Uint8Array (bool). */
  data: TypedArray;
}

/** What `decodeSafetensors` returns. */
export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

export function describeBytes(bytes: Uint8Array): string {
  return `<${bytes.length} bytes>`;
}

// ------------------------------------------------------------------ parsing

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    return `${typeof v} ${String(v)}`;
  }
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads and validates the header of a safetensors file without touching the tensor
 * data: lengths, JSON, dtypes, shapes, and that the data offsets match the shapes and
 * tile the data section exactly. Throws a CheckpointError naming `ctx` on any problem.
 *
 * @example
 * ```ts
 * const file = parseSafetensors(encodeSafetensors({ a: zeros([2, 2]), b: ones([3]) }));
 * console.log(file.entries.map((e) => e.name)); // ['a', 'b']
 * console.log(file.entries[1]!.dataOffsets); // [16, 28]
 * ```
 */
export function parseSafetensors(
  bytes: Uint8Array,
  ctx: ErrorContext = { op: 'parseSafetensors', source: describeBytes(bytes) },
): ParsedSafetensors {
  const fail = (problem: string, name?: string): CheckpointError =>
    checkpointError(ctx, problem, name);
  if (bytes.length < 8) {
    throw fail(
      `the file is ${bytes.length} bytes, too short for the 8-byte header length of a safetensors file`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    throw fail(
      `header length ${headerLength} exceeds the file size ${bytes.length} ` +
        `(truncated file, or not a safetensors file)`,
    );
  }
  const n = Number(headerLength);
  if (n < 2) throw fail(`header length ${n} is too small for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw fail('the header is not valid UTF-8 (not a safetensors file?)');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw fail(`the header is not valid JSON (${errorMessage(e)})`);
  }
  if (!isPlainObject(header)) {
    throw fail(`the header must be a JSON object, got ${describeJson(header)}`);
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(value, fail);
      continue;
    }
    entries.push(parseEntry(name, value, dataLength, fail));
  }

  // File order; then the tensors must tile [0, dataLength) exactly.
  entries.sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let prev: HeaderEntry | undefined;
  for (const e of entries) {
    const begin = e.dataOffsets[0];
    const prevEnd = prev ? prev.dataOffsets[1] : 0;
    if (begin < prevEnd) {
      throw fail(
        `tensors ${q(prev!.name)} data_offsets ${fmtShape(prev!.dataOffsets)} and ` +
          `${q(e.name)} data_offsets ${fmtShape(e.dataOffsets)} overlap`,
        e.name,
      );
    }
    if (begin > prevEnd) {
      throw fail(
        `tensor ${q(e.name)} starts at data offset ${begin} but ` +
          (prev
            ? `the previous tensor ${q(prev.name)} ends at ${prevEnd}`
            : 'the data starts at 0') +
          ` (safetensors data must be contiguous, without gaps)`,
        e.name,
      );
    }
    prev = e;
  }
  const covered = prev ? prev.dataOffsets[1] : 0;
  if (covered !== dataLength) {
    throw fail(
      `the data section is ${dataLength} bytes but the tensors cover ${covered} ` +
        `(${dataLength - covered} unexpected trailing bytes)`,
    );
  }
  return { entries, metadata, dataStart, bytes };
}

function parseMetadata(
  value: unknown,
  fail: (p: string, name?: string) => CheckpointError,
): Record<string, string> {
  if (!isPlainObject(value)) {
    throw fail(`${METADATA_KEY} must be an object of strings, got ${describeJson(value)}`);
  }
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw fail(`${METADATA_KEY} value ${q(k)} must be a string, got ${describeJson(v)}`);
    }
    out.push([k, v]);
  }
  return Object.fromEntries(out);
}

function parseEntry(
  name: string,
  value: unknown,
  dataLength: number,
  fail: (p: string, name?: string) => CheckpointError,
): HeaderEntry {
  const t = `tensor ${q(name)}`;
  if (!isPlainObject(value)) {
    throw fail(
      `${t}: expected an object with dtype, shape and data_offsets, got ${describeJson(value)}`,
      name,
    );
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') {
    throw fail(`${t}: dtype must be a string, got ${describeJson(dtype)}`, name);
  }
  if (!isLoadableDtype(dtype)) {
    throw fail(
      `${t} has dtype ${q(dtype)}, which tapegrad cannot load (accepted: ${ACCEPTED_DTYPE_LIST})`,
      name,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw fail(
      `${t}: shape must be an array of non-negative integers, got ${JSON.stringify(shape) ?? 'nothing'}`,
      name,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw fail(
      `${t}: data_offsets must be [begin, end], two non-negative integers; got ${JSON.stringify(offsets) ?? 'nothing'}`,
      name,
    );
  }
  const [begin, end] = offsets as [number, number];
  const dims = shape;
  if (begin > end) {
    throw fail(`${t}: data_offsets ${fmtShape(offsets)} are out of order (begin > end)`, name);
  }
  const info = LOADABLE_DTYPES[dtype];
  const expected = dims.reduce((a, b) => a * b, 1) * info.bytes;
  if (end - begin !== expected) {
    throw fail(
      `${t} data_offsets ${fmtShape(offsets)} do not match ${dtype} ${fmtShape(dims)} (${expected} bytes)`,
      name,
    );
  }
  if (end > dataLength) {
    throw fail(
      `${t} data_offsets ${fmtShape(offsets)} extend past the end of the data section ` +
        `(${dataLength} bytes; is the file truncated?)`,
      name,
    );
  }
  return { name, dtype, loadsAs: info.loadsAs, shape: dims, dataOffsets: [begin, end] };
}

/**
 * Converts one validated entry's data to a fresh typed array of the dtype it loads as.
 * Throws a CheckpointError for values that do not fit (64-bit integers beyond int32).
 */
export function readEntryData(
  file: ParsedSafetensors,
  e: HeaderEntry,
  ctx: ErrorContext,
): TypedArray {
  const [begin, end] = e.dataOffsets;
  const raw = copyToHost(
    file.bytes,
    file.dataStart + begin,
    file.dataStart + end,
    LOADABLE_DTYPES[e.dtype].bytes,
  );
  try {
    return convertRaw(e.dtype, raw);
  } catch (err) {
    if (err instanceof ConversionProblem) {
      throw checkpointError(ctx, `tensor ${q(e.name)} ${err.message}`, e.name);
    }
    throw err;
  }
}

/**
 * Makes tensors for `entries` on `engine`: all data is converted (and range-checked)
 * before the first tensor is created, and a failure disposes what was created.
 */
export function makeTensors(
  file: ParsedSafetensors,
  entries: readonly HeaderEntry[],
  engineFor: (e: HeaderEntry) => Engine,
  ctx: ErrorContext,
): Tensor[] {
  const data = entries.map((e) => readEntryData(file, e, ctx));
  const out: Tensor[] = [];
  try {
    entries.forEach((e, i) => {
      try {
        out.push(engineFor(e).makeTensor(data[i]!, e.shape, e.loadsAs, 'load'));
      } catch (err) {
        throw checkpointError(
          ctx,
          `tensor ${q(e.name)} (${e.dtype} ${fmtShape(e.shape)}) could not be created as ${e.loadsAs}: ${errorMessage(err)}`,
          e.name,
          err,
        );
      }
    });
  } catch (err) {
    for (const t of out) t.dispose();
    throw err;
  }
  return out;
}

/**
 * Decodes a safetensors file held in memory into tensors on `engine` (default: the
 * default engine). Pure: no I/O, works in browsers. The whole file is validated before
 * any tensor is created. Accepted dtypes: see `LOADABLE_DTYPES`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ ids: { dtype: 'int32', shape: [2], data: new Int32Array([7, 8]) } });
 * const { tensors } = decodeSafetensors(bytes);
 * tensors.ids!.print(); // [7, 8]
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  engine?: Engine,
  /** @internal how errors name the caller and source */
  ctx?: ErrorContext,
): DecodedSafetensors {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const where = ctx ?? { op: 'decodeSafetensors', source: describeBytes(u8) };
  const file = parseSafetensors(u8, where);
  const eng = engine ?? getDefaultEngine();
  const tensors = makeTensors(file, file.entries, () => eng, where);
  return {
    tensors: Object.fromEntries(file.entries.map((e, i) => [e.name, tensors[i]!])),
    metadata: file.metadata,
  };
}

// ------------------------------------------------------------------ encoding

/** Plain data of a tensor or RawTensor, validated. */
export interface EncodeItem {
  name: string;
  dtype: DType;
  shape: readonly number[];
  data: TypedArray;
}

const TYPED_FOR: Record<DType, new (n: number) => TypedArray> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};

export function validateMetadata(
  metadata: unknown,
  ctx: ErrorContext,
): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (!isPlainObject(metadata)) {
    throw checkpointError(
      ctx,
      `metadata must be an object of strings, got ${describeJson(metadata)}`,
    );
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') {
      throw checkpointError(
        ctx,
        `metadata value ${q(k)} must be a string (safetensors metadata maps strings to strings), got ${describeJson(v)}; JSON.stringify it first`,
      );
    }
  }
  return metadata as Record<string, string>;
}

/** Checks a name → Tensor | RawTensor map; reads tensor data synchronously if `read` is not given. */
export function checkItem(
  name: string,
  value: unknown,
  ctx: ErrorContext,
): { dtype: DType; shape: readonly number[] } {
  if (name === METADATA_KEY) {
    throw checkpointError(
      ctx,
      `${q(METADATA_KEY)} is reserved for metadata and cannot name a tensor`,
      name,
    );
  }
  if (value instanceof TensorClass) {
    if (value.isDisposed) {
      throw checkpointError(
        ctx,
        `tensor ${q(name)} (shape ${fmtShape(value.shape)}) was disposed`,
        name,
      );
    }
    return value;
  }
  if (
    isPlainObject(value) &&
    typeof value.dtype === 'string' &&
    Array.isArray(value.shape) &&
    ArrayBuffer.isView(value.data)
  ) {
    const raw = value as unknown as RawTensor;
    if (!(raw.dtype in TYPED_FOR)) {
      throw checkpointError(ctx, `tensor ${q(name)} has unknown dtype ${q(raw.dtype)}`, name);
    }
    if (!raw.shape.every(isCount)) {
      throw checkpointError(
        ctx,
        `tensor ${q(name)} has an invalid shape ${JSON.stringify(raw.shape)}`,
        name,
      );
    }
    const size = raw.shape.reduce((a, b) => a * b, 1);
    if (!(raw.data instanceof TYPED_FOR[raw.dtype]) || raw.data.length !== size) {
      throw checkpointError(
        ctx,
        `tensor ${q(name)}: data must be a ${TYPED_FOR[raw.dtype].name} of ${size} elements for ${raw.dtype} ${fmtShape(raw.shape)}, got a ${raw.data.constructor.name} of ${raw.data.length}`,
        name,
      );
    }
    return raw;
  }
  throw checkpointError(
    ctx,
    `${q(name)} must be a Tensor or { dtype, shape, data }, got ${describeJson(value)}`,
    name,
  );
}

/**
 * Encodes named tensors as a safetensors file: the header (metadata first, then the
 * tensors in the given order) padded with spaces to a multiple of 8 bytes, then the
 * data, contiguous and little-endian. Values are written bit-exactly (NaN payloads,
 * -0, subnormals). Pure: tensors are read with `dataSync()`; on a backend that cannot
 * read synchronously, use `save(tensors, 'bytes')`, which reads them asynchronously.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ x: tensor([1, 2, 3]) }, { format: 'pt' });
 * console.log(decodeSafetensors(bytes).tensors.x!.arraySync()); // [1, 2, 3]
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor | RawTensor>,
  metadata?: Record<string, string>,
  ctx: ErrorContext = { op: 'encodeSafetensors', source: '<bytes>' },
): Uint8Array<ArrayBuffer> {
  const meta = validateMetadata(metadata, ctx);
  const items: EncodeItem[] = Object.entries(tensors).map(([name, value]) => {
    const { dtype, shape } = checkItem(name, value, ctx);
    const data = value instanceof TensorClass ? value.dataSync() : value.data;
    return { name, dtype, shape, data };
  });
  return encodeItems(items, meta);
}

/** Encodes already-validated items. */
export function encodeItems(
  items: readonly EncodeItem[],
  metadata?: Record<string, string>,
): Uint8Array<ArrayBuffer> {
  const parts: string[] = [];
  if (metadata !== undefined) {
    parts.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  for (const it of items) {
    const end = offset + it.data.byteLength;
    parts.push(
      `${JSON.stringify(it.name)}:${JSON.stringify({
        dtype: SAVE_CODES[it.dtype],
        shape: [...it.shape],
        data_offsets: [offset, end],
      })}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const it of items) {
    const src = new Uint8Array(it.data.buffer, it.data.byteOffset, it.data.byteLength);
    out.set(src, pos);
    const width = it.data.BYTES_PER_ELEMENT;
    if (it.dtype === 'bool') {
      for (let i = pos; i < pos + src.length; i++) out[i] = out[i] !== 0 ? 1 : 0;
    } else if (!LITTLE_ENDIAN && width > 1) {
      swapBytes(out.subarray(pos, pos + src.length), width);
    }
    pos += src.length;
  }
  return out;
}
