/**
 * Max and average pooling (2-D and 3-D: 2-D has depth 1) and their gradients, float32,
 * channels-last, four channels per f32x4. The loops follow the CPU backend's exactly:
 * windows visit only real elements; max pooling keeps the first maximum on ties (a strict
 * `>`, so NaN never replaces a maximum unless it comes first), average pooling sums in
 * float64 and divides by the count of real elements, and an empty window gives 0. The
 * results are therefore bit-identical to the CPU backend's.
 */
import { geoField, tapOffset, windowTaps } from './window';

export const MAX_POOL: i32 = 0;
export const MAX_POOL_GRAD: i32 = 1;
export const MAX_POOL_GRAD_GRAD: i32 = 2;

function hiHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

/** The float32x4 of two float64x2 halves (each rounded to float32). */
function demote(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Stores element offset `i` of a float array (4-byte elements). */
function addr(base: usize, i: i32): usize {
  return base + ((<usize>i) << 2);
}

/**
 * Max pooling and its gradients, per window and channel through the argmax (the first
 * maximum) of x: mode MAX_POOL writes y = max to `a`; MAX_POOL_GRAD adds dy (`a`) into dx
 * (`b`, zeroed) at the argmax, in output order; MAX_POOL_GRAD_GRAD writes g[argmax] (g at
 * `a`, shaped like x) to `b`. `taps` is scratch for fd·fh·fw pairs of i32.
 */
export function maxPool(x: usize, geo: usize, mode: i32, a: usize, b: usize, taps: usize): void {
  const c = geoField(geo, 4);
  const lanes = i32x4(0, 1, 2, 3);
  const out = mode == MAX_POOL ? a : b;
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
          const yb = pos * c;
          if (count == 0) {
            if (mode != MAX_POOL_GRAD) memory.fill(addr(out, yb), 0, (<usize>c) << 2);
            continue;
          }
          const first = tapOffset(taps, 0);
          let ch = 0;
          for (; ch + 4 <= c; ch += 4) {
            let best = v128.load(addr(x, first + ch));
            let bestAt = i32x4.add(i32x4.splat(first + ch), lanes);
            for (let t = 1; t < count; t++) {
              const p = tapOffset(taps, t) + ch;
              const v = v128.load(addr(x, p));
              const greater = f32x4.gt(v, best);
              best = v128.bitselect(v, best, greater);
              if (mode != MAX_POOL)
                bestAt = v128.bitselect(i32x4.add(i32x4.splat(p), lanes), bestAt, greater);
            }
            if (mode == MAX_POOL) v128.store(addr(out, yb + ch), best);
            else if (mode == MAX_POOL_GRAD) {
              const d = v128.load(addr(a, yb + ch));
              scatterLane(b, i32x4.extract_lane(bestAt, 0), f32x4.extract_lane(d, 0));
              scatterLane(b, i32x4.extract_lane(bestAt, 1), f32x4.extract_lane(d, 1));
              scatterLane(b, i32x4.extract_lane(bestAt, 2), f32x4.extract_lane(d, 2));
              scatterLane(b, i32x4.extract_lane(bestAt, 3), f32x4.extract_lane(d, 3));
            } else {
              v128.store(
                addr(out, yb + ch),
                f32x4(
                  load<f32>(addr(a, i32x4.extract_lane(bestAt, 0))),
                  load<f32>(addr(a, i32x4.extract_lane(bestAt, 1))),
                  load<f32>(addr(a, i32x4.extract_lane(bestAt, 2))),
                  load<f32>(addr(a, i32x4.extract_lane(bestAt, 3))),
                ),
              );
            }
          }
          for (; ch < c; ch++) {
            let bestAt = first + ch;
            let best = load<f32>(addr(x, bestAt));
            for (let t = 1; t < count; t++) {
              const p = tapOffset(taps, t) + ch;
              const v = load<f32>(addr(x, p));
              if (v > best) {
                best = v;
                bestAt = p;
              }
            }
            if (mode == MAX_POOL) store<f32>(addr(out, yb + ch), best);
            else if (mode == MAX_POOL_GRAD) scatterLane(b, bestAt, load<f32>(addr(a, yb + ch)));
            else store<f32>(addr(out, yb + ch), load<f32>(addr(a, bestAt)));
          }
        }
}

/** dx[i] += v. */
function scatterLane(dx: usize, i: i32, v: f32): void {
  const at = addr(dx, i);
  store<f32>(at, load<f32>(at) + v);
}

/** y = mean of the window's real elements (float64 sum, as the CPU backend); 0 for an empty window. */
export function avgPool(x: usize, geo: usize, y: usize, taps: usize): void {
  const c = geoField(geo, 4);
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
          const yb = pos * c;
          if (count == 0) {
            memory.fill(addr(y, yb), 0, (<usize>c) << 2);
            continue;
          }
          const n = f64x2.splat(<f64>count);
          let ch = 0;
          for (; ch + 4 <= c; ch += 4) {
            let lo = f64x2.splat(0);
            let hi = f64x2.splat(0);
            for (let t = 0; t < count; t++) {
              const v = v128.load(addr(x, tapOffset(taps, t) + ch));
              lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
              hi = f64x2.add(hi, f64x2.promote_low_f32x4(hiHalf(v)));
            }
            v128.store(addr(y, yb + ch), demote(f64x2.div(lo, n), f64x2.div(hi, n)));
          }
          for (; ch < c; ch++) {
            let s: f64 = 0;
            for (let t = 0; t < count; t++) s += <f64>load<f32>(addr(x, tapOffset(taps, t) + ch));
            store<f32>(addr(y, yb + ch), <f32>(s / <f64>count));
          }
        }
}

/** dx[window] += dy / count (in float64, rounded once per addition, as the CPU backend); dx zeroed. */
export function avgPoolGrad(dy: usize, geo: usize, dx: usize, taps: usize): void {
  const c = geoField(geo, 4);
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
          if (count == 0) continue;
          const yb = pos * c;
          const n = f64x2.splat(<f64>count);
          let ch = 0;
          for (; ch + 4 <= c; ch += 4) {
            const d = v128.load(addr(dy, yb + ch));
            const lo = f64x2.div(f64x2.promote_low_f32x4(d), n);
            const hi = f64x2.div(f64x2.promote_low_f32x4(hiHalf(d)), n);
            for (let t = 0; t < count; t++) {
              const at = addr(dx, tapOffset(taps, t) + ch);
              const v = v128.load(at);
              v128.store(
                at,
                demote(
                  f64x2.add(f64x2.promote_low_f32x4(v), lo),
                  f64x2.add(f64x2.promote_low_f32x4(hiHalf(v)), hi),
                ),
              );
            }
          }
          for (; ch < c; ch++) {
            const share = <f64>load<f32>(addr(dy, yb + ch)) / <f64>count;
            for (let t = 0; t < count; t++) {
              const at = addr(dx, tapOffset(taps, t) + ch);
              store<f32>(at, <f32>(<f64>load<f32>(at) + share));
            }
          }
        }
}
