import type { DType, Engine, Tensor, TypedArray } from '@tapegrad/core';
import { createEngine, createTensor } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math } from '@tapegrad/ops-math';

export function newEngine(): Engine {
  return createEngine({ ops: [math], backends: [cpu()] });
}

/** A tensor holding exactly these bits (bypasses number conversion, so NaN payloads survive). */
export function fromBits(engine: Engine, data: TypedArray, shape: number[], dtype: DType): Tensor {
  return engine.makeTensor(data.slice(), shape, dtype);
}

export function t(
  engine: Engine,
  values: number[] | number,
  shape?: number[],
  dtype?: DType,
): Tensor {
  return createTensor(engine, values, shape, dtype);
}

export function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The header of a safetensors file, parsed independently of the library. */
export function readHeader(bytes: Uint8Array): { length: number; json: string; header: unknown } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const json = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { length, json, header: JSON.parse(json) };
}

/** Builds a safetensors file by hand: header (object or raw text), then data. */
export function build(
  header: unknown,
  data: Uint8Array | number = 0,
  opts: { headerLength?: bigint; pad?: boolean } = {},
): Uint8Array {
  let text = typeof header === 'string' ? header : JSON.stringify(header);
  if (opts.pad !== false) text += ' '.repeat((8 - (text.length % 8)) % 8);
  const json = new TextEncoder().encode(text);
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, opts.headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}
