/**
 * Data types. `float64` is supported by the CPU backend and used by `gradCheck`;
 * the public contract (tfjs) is float32 / int32 / bool.
 */
export type DType = 'float32' | 'int32' | 'bool' | 'float64';

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export type DataTypeMap = {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
};

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/**
 * True for float32 and float64.
 *
 * @example
 * ```ts
 * console.log(isFloatDtype('float32')); // true
 * console.log(isFloatDtype('int32')); // false
 * ```
 */
export function isFloatDtype(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * Bytes of one element of `dtype` (bool takes one byte).
 *
 * @example
 * ```ts
 * console.log(bytesPerElement('float32')); // 4
 * console.log(bytesPerElement('bool')); // 1
 * ```
 */
export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return 8;
    case 'bool':
      return 1;
    default:
      return 4;
  }
}

/**
 * Allocates a zero-filled typed array for `dtype`.
 *
 * @example
 * ```ts
 * const a = makeTypedArray('int32', 3); // Int32Array [0, 0, 0]
 * console.log(a); // [0, 0, 0]
 * ```
 */
export function makeTypedArray<D extends DType>(dtype: D, size: number): DataTypeMap[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size) as DataTypeMap[D];
    case 'float64':
      return new Float64Array(size) as DataTypeMap[D];
    case 'int32':
      return new Int32Array(size) as DataTypeMap[D];
    case 'bool':
      return new Uint8Array(size) as DataTypeMap[D];
    default:
      throw new Error(`unknown dtype ${String(dtype)}`);
  }
}

/**
 * Converts values to the typed array of `dtype` (truncating to int32, 0/1 for bool).
 *
 * @example
 * ```ts
 * console.log(toTypedArray([1.7, -2.5], 'int32')); // [1, -2]
 * console.log(toTypedArray([true, false], 'bool')); // [1, 0]
 * ```
 */
export function toTypedArray(values: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  const out = makeTypedArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  }
  return out;
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * The dtype both arguments convert to: bool < int32 < float32 < float64.
 *
 * @example
 * ```ts
 * console.log(upcastType('int32', 'float32')); // 'float32'
 * console.log(upcastType('bool', 'int32')); // 'int32'
 * ```
 */
export function upcastType(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype a typed array holds (Uint8Array is bool).
 *
 * @example
 * ```ts
 * console.log(dtypeOfTypedArray(new Int32Array(2))); // 'int32'
 * ```
 */
export function dtypeOfTypedArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}
