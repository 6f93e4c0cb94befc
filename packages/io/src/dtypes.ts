import type { DType, TypedArray } from '@tapegrad/core';

/** True on little-endian hosts (all current browsers and Node platforms). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A dtype code of the safetensors header. */
export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

/** @internal How one safetensors dtype maps to a tapegrad dtype. */
interface DtypeInfo {
  /** Bytes per element in the file. */
  bytes: number;
  /** The tapegrad dtype it loads as. */
  loadsAs: DType;
}

/** Every safetensors dtype `load` accepts, with what it becomes. */
export const LOADABLE_DTYPES: Readonly<Record<SafetensorsDtype, DtypeInfo>> = {
  F32: { bytes: 4, loadsAs: 'float32' },
  F64: { bytes: 8, loadsAs: 'float64' },
  F16: { bytes: 2, loadsAs: 'float32' },
  BF16: { bytes: 2, loadsAs: 'float32' },
  I32: { bytes: 4, loadsAs: 'int32' },
  I64: { bytes: 8, loadsAs: 'int32' },
  I16: { bytes: 2, loadsAs: 'int32' },
  I8: { bytes: 1, loadsAs: 'int32' },
  U64: { bytes: 8, loadsAs: 'int32' },
  U32: { bytes: 4, loadsAs: 'int32' },
  U16: { bytes: 2, loadsAs: 'int32' },
  U8: { bytes: 1, loadsAs: 'int32' },
  BOOL: { bytes: 1, loadsAs: 'bool' },
};

export const ACCEPTED_DTYPE_LIST = Object.keys(LOADABLE_DTYPES).join(', ');

export function isLoadableDtype(code: string): code is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(LOADABLE_DTYPES, code);
}

/** The safetensors code `save` writes for each tapegrad dtype. */
export const SAVE_CODES: Readonly<Record<DType, SafetensorsDtype>> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
  bool: 'BOOL',
};

/**
 * Copies `bytes[begin, end)` into a fresh, aligned buffer in host byte order
 * (the file is little-endian; big-endian hosts get each element's bytes swapped).
 */
export function copyToHost(
  bytes: Uint8Array,
  begin: number,
  end: number,
  width: number,
): Uint8Array {
  // Not bytes.slice(): a Node Buffer's slice() is a view into a shared pool.
  const out = new Uint8Array(end - begin);
  out.set(bytes.subarray(begin, end));
  if (!LITTLE_ENDIAN && width > 1) swapBytes(out, width);
  return out;
}

/** Reverses the bytes of every `width`-byte element in place. */
export function swapBytes(b: Uint8Array, width: number): void {
  for (let i = 0; i < b.length; i += width) {
    for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
      const t = b[lo]!;
      b[lo] = b[hi]!;
      b[hi] = t;
    }
  }
}

/** Why an element could not be converted (the caller adds the file and tensor names). */
export class ConversionProblem extends Error {}

/**
 * Converts the raw elements of one tensor (host byte order, fresh buffer) to the
 * typed array of the tapegrad dtype it loads as. Float conversions are exact:
 * every float16 and bfloat16 value (NaN payloads, -0, infinities, subnormals
 * included) has a float32 with the same value.
 */
export function convertRaw(code: SafetensorsDtype, raw: Uint8Array): TypedArray {
  const buf = raw.buffer as ArrayBuffer;
  const n = raw.length / LOADABLE_DTYPES[code].bytes;
  switch (code) {
    case 'F32':
      return new Float32Array(buf, 0, n);
    case 'F64':
      return new Float64Array(buf, 0, n);
    case 'I32':
      return new Int32Array(buf, 0, n);
    case 'BOOL':
      for (let i = 0; i < n; i++) raw[i] = raw[i] !== 0 ? 1 : 0;
      return raw;
    case 'U8':
      return new Int32Array(raw);
    case 'I8':
      return new Int32Array(new Int8Array(buf, 0, n));
    case 'I16':
      return new Int32Array(new Int16Array(buf, 0, n));
    case 'U16':
      return new Int32Array(new Uint16Array(buf, 0, n));
    case 'U32': {
      const src = new Uint32Array(buf, 0, n);
      for (let i = 0; i < n; i++) if (src[i]! > 0x7fffffff) throw outOfRange(code, src[i]!, i);
      return new Int32Array(buf, 0, n);
    }
    case 'I64':
    case 'U64':
      return narrow64(code, buf, n);
    case 'F16':
      return halfToFloat32(new Uint16Array(buf, 0, n));
    case 'BF16': {
      const src = new Uint16Array(buf, 0, n);
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = src[i]! << 16;
      return out;
    }
  }
}

function outOfRange(
  code: SafetensorsDtype,
  value: number | bigint,
  index: number,
): ConversionProblem {
  return new ConversionProblem(
    `holds ${String(value)} at flat index ${index}, outside the int32 range ` +
      `[-2147483648, 2147483647], so the ${code} tensor cannot load as int32 ` +
      `(tapegrad has no 64-bit integers; convert it before saving)`,
  );
}

/** 64-bit integers to int32, with a range check (read as pairs of 32-bit words). */
function narrow64(code: 'I64' | 'U64', buf: ArrayBuffer, n: number): Int32Array {
  const words = new Int32Array(buf, 0, 2 * n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    const ok = code === 'I64' ? hi === (lo < 0 ? -1 : 0) : hi === 0 && lo >= 0;
    if (!ok) {
      const big = new (code === 'I64' ? BigInt64Array : BigUint64Array)(buf, 8 * i, 1)[0]!;
      throw outOfRange(code, big, i);
    }
    out[i] = lo;
  }
  return out;
}

/** IEEE 754 binary16 bit patterns to float32, bit-exact (NaN payloads are kept). */
export function halfToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0x1f) {
      bits[i] = (sign | 0x7f800000 | (frac << 13)) >>> 0;
    } else if (exp !== 0) {
      bits[i] = (sign | ((exp + 112) << 23) | (frac << 13)) >>> 0;
    } else {
      // zero or subnormal: frac * 2^-24 is exactly representable in float32
      out[i] = frac * 2 ** -24;
      if (sign) out[i] = -out[i]!;
    }
  }
  return out;
}
