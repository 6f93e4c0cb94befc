/**
 * Sliding-window geometry of the pooling and depthwise kernels: the same i32[20] record
 * as assembly/im2col.ts (n, id, ih, iw, c, od, oh, ow, fd, fh, fw, sd, sh, sw, dd, dh, dw,
 * pd, pt, pl; 2-D ops have depth 1), channels-last.
 */

export function geoField(geo: usize, i: i32): i32 {
  return load<i32>(geo + ((<usize>i) << 2));
}

/** First window offset k with 0 <= start + k·dilation. */
function firstTap(start: i32, dilation: i32): i32 {
  if (start >= 0) return 0;
  // Pooling (and most convolutions) have dilation 1: no division.
  return dilation == 1 ? -start : (-start + dilation - 1) / dilation;
}

/** One past the last window offset k < taps with start + k·dilation < size. */
function endTap(start: i32, dilation: i32, taps: i32, size: i32): i32 {
  const room = size - 1 - start;
  if (room < 0) return 0;
  return min(taps, (dilation == 1 ? room : room / dilation) + 1);
}

/**
 * The real (unpadded) taps of the window at output position (b, zd, zh, zw), in filter
 * order (kd, kh, kw): writes pairs (x offset of the tap's channel 0 in elements, tap index
 * (kd·fh + kh)·fw + kw) at `taps` and returns their count (0 for a window entirely in the
 * padding). Callers walk the positions in nested loops: no division per position.
 */
export function windowTaps(geo: usize, b: i32, zd: i32, zh: i32, zw: i32, taps: usize): i32 {
  const id = geoField(geo, 1),
    ih = geoField(geo, 2),
    iw = geoField(geo, 3),
    c = geoField(geo, 4);
  const fd = geoField(geo, 8),
    fh = geoField(geo, 9),
    fw = geoField(geo, 10);
  const dd = geoField(geo, 14),
    dh = geoField(geo, 15),
    dw = geoField(geo, 16);
  const d0 = zd * geoField(geo, 11) - geoField(geo, 17);
  const h0 = zh * geoField(geo, 12) - geoField(geo, 18);
  const w0 = zw * geoField(geo, 13) - geoField(geo, 19);
  const kd1 = endTap(d0, dd, fd, id),
    kh1 = endTap(h0, dh, fh, ih),
    kw1 = endTap(w0, dw, fw, iw);
  const kw0 = firstTap(w0, dw);
  let count = 0;
  for (let kd = firstTap(d0, dd); kd < kd1; kd++) {
    for (let kh = firstTap(h0, dh); kh < kh1; kh++) {
      const row = ((b * id + d0 + kd * dd) * ih + h0 + kh * dh) * iw + w0;
      for (let kw = kw0; kw < kw1; kw++) {
        const at = taps + ((<usize>count) << 3);
        store<i32>(at, (row + kw * dw) * c);
        store<i32>(at, (kd * fh + kh) * fw + kw, 4);
        count++;
      }
    }
  }
  return count;
}

/** x offset (channel 0, elements) of tap t of the list at `taps`. */
export function tapOffset(taps: usize, t: i32): i32 {
  return load<i32>(taps + ((<usize>t) << 3));
}

/** Filter tap index of tap t of the list at `taps`. */
export function tapIndex(taps: usize, t: i32): i32 {
  return load<i32>(taps + ((<usize>t) << 3), 4);
}
