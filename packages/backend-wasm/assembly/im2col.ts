/**
 * im2col / col2im for channels-last (NDHWC) float32 inputs, the same layout as the CPU
 * backend: row r of the column matrix is output position r, its K = fd·fh·fw·c columns
 * the window's taps in filter order (kd, kh, kw, channel). The geometry is an i32[20]
 * record at `geo`: n, id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pd, pt, pl.
 */

function g(geo: usize, i: i32): i32 {
  return load<i32>(geo + ((<usize>i) << 2));
}

function copyFloats(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, (<usize>n) << 2);
}

/** Writes rows [row0, row0 + rows) of x's column matrix into `col` (zeros for padding). */
export function im2col(x: usize, geo: usize, row0: i32, rows: i32, col: usize): void {
  const id = g(geo, 1),
    ih = g(geo, 2),
    iw = g(geo, 3),
    c = g(geo, 4);
  const od = g(geo, 5),
    oh = g(geo, 6),
    ow = g(geo, 7);
  const fd = g(geo, 8),
    fh = g(geo, 9),
    fw = g(geo, 10);
  const sd = g(geo, 11),
    sh = g(geo, 12),
    sw = g(geo, 13);
  const dd = g(geo, 14),
    dh = g(geo, 15),
    dw = g(geo, 16);
  const pd = g(geo, 17),
    pt = g(geo, 18),
    pl = g(geo, 19);
  const strideH = iw * c;
  const strideD = ih * strideH;
  const strideN = id * strideD;
  const rowW = fw * c;
  const rowH = fh * rowW;
  let xw = row0 % ow;
  let q = (row0 - xw) / ow;
  let xh = q % oh;
  q = (q - xh) / oh;
  let xd = q % od;
  let n = (q - xd) / od;
  let dst = col;
  for (let r = 0; r < rows; r++) {
    const d0 = xd * sd - pd;
    const h0 = xh * sh - pt;
    const w0 = xw * sw - pl;
    const baseN = n * strideN;
    for (let kd = 0; kd < fd; kd++) {
      const zd = d0 + kd * dd;
      if (zd < 0 || zd >= id) {
        memory.fill(dst, 0, (<usize>rowH) << 2);
        dst += (<usize>rowH) << 2;
        continue;
      }
      for (let kh = 0; kh < fh; kh++) {
        const zh = h0 + kh * dh;
        if (zh < 0 || zh >= ih) {
          memory.fill(dst, 0, (<usize>rowW) << 2);
          dst += (<usize>rowW) << 2;
          continue;
        }
        const baseH = baseN + zd * strideD + zh * strideH;
        if (dw == 1 && w0 >= 0 && w0 + fw <= iw) {
          // The whole window row is inside: one contiguous copy.
          copyFloats(dst, x + ((<usize>(baseH + w0 * c)) << 2), rowW);
          dst += (<usize>rowW) << 2;
          continue;
        }
        for (let kw = 0; kw < fw; kw++) {
          const zw = w0 + kw * dw;
          if (zw < 0 || zw >= iw) memory.fill(dst, 0, (<usize>c) << 2);
          else copyFloats(dst, x + ((<usize>(baseH + zw * c)) << 2), c);
          dst += (<usize>c) << 2;
        }
      }
    }
    if (++xw == ow) {
      xw = 0;
      if (++xh == oh) {
        xh = 0;
        if (++xd == od) {
          xd = 0;
          n++;
        }
      }
    }
  }
}

/** dx[i] += src[i] for i < n, four lanes at a time. */
function addInto(dx: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(src + o));
  }
}

/** Adds rows [row0, row0 + rows) of a column matrix back into dx (the adjoint of im2col). */
export function col2im(col: usize, geo: usize, row0: i32, rows: i32, dx: usize): void {
  const id = g(geo, 1),
    ih = g(geo, 2),
    iw = g(geo, 3),
    c = g(geo, 4);
  const od = g(geo, 5),
    oh = g(geo, 6),
    ow = g(geo, 7);
  const fd = g(geo, 8),
    fh = g(geo, 9),
    fw = g(geo, 10);
  const sd = g(geo, 11),
    sh = g(geo, 12),
    sw = g(geo, 13);
  const dd = g(geo, 14),
    dh = g(geo, 15),
    dw = g(geo, 16);
  const pd = g(geo, 17),
    pt = g(geo, 18),
    pl = g(geo, 19);
  const strideH = iw * c;
  const strideD = ih * strideH;
  const strideN = id * strideD;
  const rowW = fw * c;
  const rowH = fh * rowW;
  let xw = row0 % ow;
  let q = (row0 - xw) / ow;
  let xh = q % oh;
  q = (q - xh) / oh;
  let xd = q % od;
  let n = (q - xd) / od;
  let src = col;
  for (let r = 0; r < rows; r++) {
    const d0 = xd * sd - pd;
    const h0 = xh * sh - pt;
    const w0 = xw * sw - pl;
    const baseN = n * strideN;
    for (let kd = 0; kd < fd; kd++) {
      const zd = d0 + kd * dd;
      if (zd < 0 || zd >= id) {
        src += (<usize>rowH) << 2;
        continue;
      }
      for (let kh = 0; kh < fh; kh++) {
        const zh = h0 + kh * dh;
        if (zh < 0 || zh >= ih) {
          src += (<usize>rowW) << 2;
          continue;
        }
        const baseH = baseN + zd * strideD + zh * strideH;
        if (dw == 1 && w0 >= 0 && w0 + fw <= iw) {
          addInto(dx + ((<usize>(baseH + w0 * c)) << 2), src, rowW);
          src += (<usize>rowW) << 2;
          continue;
        }
        for (let kw = 0; kw < fw; kw++) {
          const zw = w0 + kw * dw;
          if (zw >= 0 && zw < iw) addInto(dx + ((<usize>(baseH + zw * c)) << 2), src, c);
          src += (<usize>c) << 2;
        }
      }
    }
    if (++xw == ow) {
      xw = 0;
      if (++xh == oh) {
        xh = 0;
        if (++xd == od) {
          xd = 0;
          n++;
        }
      }
    }
  }
}
