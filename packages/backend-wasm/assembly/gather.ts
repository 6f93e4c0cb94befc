/**
 * Gather/scatter kernels. Data moves in rows of `n` elements of `eb` bytes; indices are
 * int32 row numbers. Validation runs before any write (the TypeScript side raises the
 * error), so a bad index never leaves a partial result.
 */

/** Copies `bytes` bytes (one row); 4- and 8-byte rows skip memory.copy's call. */
function copyBytes(dst: usize, src: usize, bytes: usize): void {
  if (bytes == 4) store<u32>(dst, load<u32>(src));
  else if (bytes == 8) store<u64>(dst, load<u64>(src));
  else memory.copy(dst, src, bytes);
}

/** First position k < n with idx[k] outside [0, limit), or -1 when all are valid. */
export function firstOutOfRange(idx: usize, n: i32, limit: i32): i32 {
  for (let k = 0; k < n; k++) {
    const i = load<i32>(idx + ((<usize>k) << 2));
    if (i < 0 || i >= limit) return k;
  }
  return -1;
}

/**
 * Row numbers of N-d indices: rows[p] = Σ_k idx[p·K + k]·rowStrides[k], where `dims` holds
 * shape[K] then rowStrides[K] (strides counted in slices). Returns the first flat position
 * p·K + k whose index is outside [0, shape[k]), or -1.
 */
export function ndRows(idx: usize, P: i32, K: i32, dims: usize, rows: usize): i32 {
  for (let p = 0; p < P; p++) {
    let row = 0;
    for (let k = 0; k < K; k++) {
      const at = p * K + k;
      const i = load<i32>(idx + ((<usize>at) << 2));
      if (i < 0 || i >= load<i32>(dims + ((<usize>k) << 2))) return at;
      row += i * load<i32>(dims + ((<usize>(K + k)) << 2));
    }
    store<i32>(rows + ((<usize>p) << 2), row);
  }
  return -1;
}

/**
 * Gather with x viewed as [B, M, N, n] and indices as [B, J]:
 * out[b, m, j, :] = x[b, m, idx[b, j], :].
 */
export function gatherRows(
  x: usize,
  idx: usize,
  out: usize,
  B: i32,
  M: i32,
  N: i32,
  J: i32,
  n: i32,
  eb: i32,
): void {
  const rowBytes = <usize>n * <usize>eb;
  let dst = out;
  for (let b = 0; b < B; b++) {
    const ib = idx + ((<usize>(b * J)) << 2);
    for (let m = 0; m < M; m++) {
      const base = x + <usize>(b * M + m) * <usize>N * rowBytes;
      for (let j = 0; j < J; j++) {
        copyBytes(dst, base + <usize>load<i32>(ib + ((<usize>j) << 2)) * rowBytes, rowBytes);
        dst += rowBytes;
      }
    }
  }
}

/** dst[rows[p], :] = src[p, :] for p < P (rows of n elements of eb bytes; later rows win). */
export function scatterRows(dst: usize, rows: usize, P: i32, src: usize, n: i32, eb: i32): void {
  const rowBytes = <usize>n * <usize>eb;
  for (let p = 0; p < P; p++) {
    const row = <usize>load<i32>(rows + ((<usize>p) << 2));
    copyBytes(dst + row * rowBytes, src + <usize>p * rowBytes, rowBytes);
  }
}

export const ADD_F32: i32 = 0;
export const ADD_I32: i32 = 1;
export const ADD_F64: i32 = 2;
export const ADD_U8: i32 = 3;

/** dst[i] += src[i] for i < n, in the element type `type` (float32, int32: 4 lanes; float64: 2). */
function addRow(dst: usize, src: usize, n: i32, type: i32): void {
  let i = 0;
  if (type == ADD_F32) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
    }
  } else if (type == ADD_I32) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dst + o, i32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      store<i32>(dst + o, load<i32>(dst + o) + load<i32>(src + o));
    }
  } else if (type == ADD_F64) {
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
    }
    if (i < n) {
      const o = (<usize>i) << 3;
      store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
    }
  } else {
    for (; i < n; i++) store<u8>(dst + i, load<u8>(dst + i) + load<u8>(src + i));
  }
}

/** dst[rows[p], :] += src[p, :] for p < P, in order (duplicate rows add up). */
export function scatterAddRows(
  dst: usize,
  rows: usize,
  P: i32,
  src: usize,
  n: i32,
  type: i32,
  eb: i32,
): void {
  const rowBytes = <usize>n * <usize>eb;
  for (let p = 0; p < P; p++) {
    const row = <usize>load<i32>(rows + ((<usize>p) << 2));
    addRow(dst + row * rowBytes, src + <usize>p * rowBytes, n, type);
  }
}

/** out[k, idx[k]] = the eb-byte pattern (hi:lo) for every idx[k] in [0, depth); out is [n, depth]. */
export function oneHot(
  idx: usize,
  n: i32,
  depth: i32,
  out: usize,
  eb: i32,
  lo: i32,
  hi: i32,
): void {
  const rowBytes = <usize>depth * <usize>eb;
  const wide = ((<i64>hi) << 32) | ((<i64>lo) & 0xffffffff);
  for (let k = 0; k < n; k++) {
    const i = load<i32>(idx + ((<usize>k) << 2));
    if (i < 0 || i >= depth) continue;
    const at = out + <usize>k * rowBytes + <usize>i * <usize>eb;
    if (eb == 1) store<u8>(at, <u8>lo);
    else if (eb == 4) store<i32>(at, lo);
    else store<i64>(at, wide);
  }
}
