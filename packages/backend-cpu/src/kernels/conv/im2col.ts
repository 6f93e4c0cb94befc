/**
 * im2col and col2im for channels-last (NDHWC) inputs. Row r of the column matrix is
 * output position r (batch, depth, height, width in row-major order); its K = fd·fh·fw·c
 * columns are the window's taps in filter order (kd, kh, kw, channel), so that
 * column · filter[K × outChannels] is the convolution, already in NDHWC order.
 */
import type { TypedArray } from '@tapegrad/core';
import type { Window3D } from '@tapegrad/ops-conv';

/** Writes rows [row0, row0 + rows) of x's column matrix into `col` (zeros for padding). */
export function im2col(
  x: TypedArray,
  g: Window3D,
  row0: number,
  rows: number,
  col: TypedArray,
): void {
  const { id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pd, pt, pl } = g;
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
  let dst = 0;
  for (let r = 0; r < rows; r++) {
    const d0 = xd * sd - pd;
    const h0 = xh * sh - pt;
    const w0 = xw * sw - pl;
    const baseN = n * strideN;
    for (let kd = 0; kd < fd; kd++) {
      const zd = d0 + kd * dd;
      if (zd < 0 || zd >= id) {
        col.fill(0, dst, dst + rowH);
        dst += rowH;
        continue;
      }
      for (let kh = 0; kh < fh; kh++) {
        const zh = h0 + kh * dh;
        if (zh < 0 || zh >= ih) {
          col.fill(0, dst, dst + rowW);
          dst += rowW;
          continue;
        }
        const baseH = baseN + zd * strideD + zh * strideH;
        for (let kw = 0; kw < fw; kw++) {
          const zw = w0 + kw * dw;
          if (zw < 0 || zw >= iw) {
            for (let k = 0; k < c; k++) col[dst + k] = 0;
          } else {
            const src = baseH + zw * c;
            for (let k = 0; k < c; k++) col[dst + k] = x[src + k]!;
          }
          dst += c;
        }
      }
    }
    if (++xw === ow) {
      xw = 0;
      if (++xh === oh) {
        xh = 0;
        if (++xd === od) {
          xd = 0;
          n++;
        }
      }
    }
  }
}

/** Adds rows [row0, row0 + rows) of a column matrix back into dx (the adjoint of im2col). */
export function col2im(
  col: TypedArray,
  g: Window3D,
  row0: number,
  rows: number,
  dx: TypedArray,
): void {
  const { id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw, pd, pt, pl } = g;
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
  let src = 0;
  for (let r = 0; r < rows; r++) {
    const d0 = xd * sd - pd;
    const h0 = xh * sh - pt;
    const w0 = xw * sw - pl;
    const baseN = n * strideN;
    for (let kd = 0; kd < fd; kd++) {
      const zd = d0 + kd * dd;
      if (zd < 0 || zd >= id) {
        src += rowH;
        continue;
      }
      for (let kh = 0; kh < fh; kh++) {
        const zh = h0 + kh * dh;
        if (zh < 0 || zh >= ih) {
          src += rowW;
          continue;
        }
        const baseH = baseN + zd * strideD + zh * strideH;
        for (let kw = 0; kw < fw; kw++) {
          const zw = w0 + kw * dw;
          if (zw >= 0 && zw < iw) {
            const dst = baseH + zw * c;
            for (let k = 0; k < c; k++) dx[dst + k]! += col[src + k]!;
          }
          src += c;
        }
      }
    }
    if (++xw === ow) {
      xw = 0;
      if (++xh === oh) {
        xh = 0;
        if (++xd === od) {
          xd = 0;
          n++;
        }
      }
    }
  }
}
