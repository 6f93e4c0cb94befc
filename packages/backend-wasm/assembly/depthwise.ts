/**
 * DepthwiseConv2D and its backprops, float32, channels-last: x [n, h, w, c], filter
 * [fh, fw, c, m], y [n, oh, ow, c·m] with y[.., ch·m + q] = Σ_taps x[.., ch]·filter[kh, kw, ch, q].
 * Four channels (or multipliers) per f32x4. The forward pass and the input gradient
 * accumulate in float32; the filter gradient, a sum over every output position, in float64
 * in the CPU backend's order (so it matches it bit for bit).
 */
import { geoField, tapIndex, tapOffset, windowTaps } from './window';

function addr(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}

/** y = depthwise convolution of x with the filter (multiplier m); `taps` scratch as in windowTaps. */
export function depthwiseForward(
  x: usize,
  f: usize,
  y: usize,
  geo: usize,
  m: i32,
  taps: usize,
): void {
  const c = geoField(geo, 4);
  const cm = c * m;
  const batch = geoField(geo, 0),
    od = geoField(geo, 5),
    oh = geoField(geo, 6),
    ow = geoField(geo, 7);
  let pos = 0;
  for (let img = 0; img < batch; img++)
    for (let zd = 0; zd < od; zd++)
      for (let zh = 0; zh < oh; zh++)
        for (let zw = 0; zw < ow; zw++, pos++) {
          const count = windowTaps(geo, img, zd, zh, zw, taps);
          const yb = pos * cm;
          if (m == 1) {
            // Accumulators in registers, taps in filter order.
            let ch = 0;
            for (; ch + 4 <= c; ch += 4) {
              let acc = f32x4.splat(0);
              for (let t = 0; t < count; t++) {
                const xv = v128.load(addr(x, tapOffset(taps, t) + ch));
                const fv = v128.load(addr(f, tapIndex(taps, t) * c + ch));
                acc = f32x4.add(acc, f32x4.mul(xv, fv));
              }
              v128.store(addr(y, yb + ch), acc);
            }
            for (; ch < c; ch++) {
              let s: f32 = 0;
              for (let t = 0; t < count; t++) {
                s +=
                  load<f32>(addr(x, tapOffset(taps, t) + ch)) *
                  load<f32>(addr(f, tapIndex(taps, t) * c + ch));
              }
              store<f32>(addr(y, yb + ch), s);
            }
            continue;
          }
          memory.fill(addr(y, yb), 0, (<usize>cm) << 2);
          for (let t = 0; t < count; t++) {
            const xb = tapOffset(taps, t);
            const wb = tapIndex(taps, t) * cm;
            for (let ch = 0; ch < c; ch++) {
              const v = load<f32>(addr(x, xb + ch));
              const o = ch * m;
              axpy(addr(y, yb + o), v, addr(f, wb + o), m);
            }
          }
        }
}

/** out[q] += v · w[q] for q < n. */
function axpy(out: usize, v: f32, w: usize, n: i32): void {
  const vv = f32x4.splat(v);
  let q = 0;
  for (; q + 4 <= n; q += 4) {
    const at = addr(out, q);
    v128.store(at, f32x4.add(v128.load(at), f32x4.mul(vv, v128.load(addr(w, q)))));
  }
  for (; q < n; q++) {
    const at = addr(out, q);
    store<f32>(at, load<f32>(at) + v * load<f32>(addr(w, q)));
  }
}

/** dx[.., ch] += Σ_q dy[.., ch·m + q]·filter[kh, kw, ch, q] over every tap; dx zeroed. */
export function depthwiseBackpropInput(
  dy: usize,
  f: usize,
  dx: usize,
  geo: usize,
  m: i32,
  taps: usize,
): void {
  const c = geoField(geo, 4);
  const cm = c * m;
  const batch = geoField(geo, 0),
    od = geoField(geo, 5),
    oh = geoField(geo, 6),
    ow = geoField(geo, 7);
  let pos = 0;
  for (let img = 0; img < batch; img++)
    for (let zd = 0; zd < od; zd++)
      for (let zh = 0; zh < oh; zh++)
        for (let zw = 0; zw < ow; zw++, pos++) {
          const count = windowTaps(geo, img, zd, zh, zw, taps);
          const yb = pos * cm;
          for (let t = 0; t < count; t++) {
            const xb = tapOffset(taps, t);
            const wb = tapIndex(taps, t) * cm;
            if (m == 1) {
              let ch = 0;
              for (; ch + 4 <= c; ch += 4) {
                const at = addr(dx, xb + ch);
                const g = f32x4.mul(v128.load(addr(dy, yb + ch)), v128.load(addr(f, wb + ch)));
                v128.store(at, f32x4.add(v128.load(at), g));
              }
              for (; ch < c; ch++) {
                const at = addr(dx, xb + ch);
                store<f32>(
                  at,
                  load<f32>(at) + load<f32>(addr(dy, yb + ch)) * load<f32>(addr(f, wb + ch)),
                );
              }
              continue;
            }
            for (let ch = 0; ch < c; ch++) {
              const o = ch * m;
              let s: f32 = 0;
              for (let q = 0; q < m; q++)
                s += load<f32>(addr(dy, yb + o + q)) * load<f32>(addr(f, wb + o + q));
              const at = addr(dx, xb + ch);
              store<f32>(at, load<f32>(at) + s);
            }
          }
        }
}

/**
 * For channels [c0, c1): acc[kh, kw, ch, q] += x[.., ch]·dy[.., ch·m + q] over every output
 * position, in float64 (`acc` zeroed, fh·fw·c·m doubles), then dw = acc rounded to float32.
 * Channel ranges touch disjoint accumulators, so threads split the channels and every sum
 * keeps the order of one thread (the CPU backend's).
 */
export function depthwiseBackpropFilter(
  x: usize,
  dy: usize,
  acc: usize,
  dw: usize,
  geo: usize,
  m: i32,
  taps: usize,
  c0: i32,
  c1: i32,
): void {
  const c = geoField(geo, 4);
  const cm = c * m;
  const batch = geoField(geo, 0),
    od = geoField(geo, 5),
    oh = geoField(geo, 6),
    ow = geoField(geo, 7);
  let pos = 0;
  for (let img = 0; img < batch; img++)
    for (let zd = 0; zd < od; zd++)
      for (let zh = 0; zh < oh; zh++)
        for (let zw = 0; zw < ow; zw++, pos++) {
          const count = windowTaps(geo, img, zd, zh, zw, taps);
          const yb = pos * cm;
          for (let t = 0; t < count; t++) {
            const xb = tapOffset(taps, t);
            const wb = tapIndex(taps, t) * cm;
            if (m == 1) {
              let ch = c0;
              for (; ch + 2 <= c1; ch += 2) {
                const at = acc + ((<usize>(wb + ch)) << 3);
                const xv = f64x2.promote_low_f32x4(v128.load64_zero(addr(x, xb + ch)));
                const dv = f64x2.promote_low_f32x4(v128.load64_zero(addr(dy, yb + ch)));
                v128.store(at, f64x2.add(v128.load(at), f64x2.mul(xv, dv)));
              }
              if (ch < c1) {
                const at = acc + ((<usize>(wb + ch)) << 3);
                store<f64>(
                  at,
                  load<f64>(at) +
                    <f64>load<f32>(addr(x, xb + ch)) * <f64>load<f32>(addr(dy, yb + ch)),
                );
              }
              continue;
            }
            for (let ch = c0; ch < c1; ch++) {
              const v = <f64>load<f32>(addr(x, xb + ch));
              const o = ch * m;
              for (let q = 0; q < m; q++) {
                const at = acc + ((<usize>(wb + o + q)) << 3);
                store<f64>(at, load<f64>(at) + v * <f64>load<f32>(addr(dy, yb + o + q)));
              }
            }
          }
        }
  const filterTaps = geoField(geo, 9) * geoField(geo, 10);
  for (let tap = 0; tap < filterTaps; tap++) {
    for (let i = tap * cm + c0 * m, end = tap * cm + c1 * m; i < end; i++) {
      store<f32>(addr(dw, i), <f32>load<f64>(acc + ((<usize>i) << 3)));
    }
  }
}
