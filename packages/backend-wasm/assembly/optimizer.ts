/**
 * Fused optimizer updates: one pass over the parameter, its gradient and its state, four
 * lanes at a time, instead of one elementwise kernel (and one temporary) per term. Tails run
 * the same vector expressions on splatted scalars, so every element rounds alike.
 */

/** β·s + c·x: a moment's exponential average (c = 1 − β), or a momentum buffer (c = 1). */
function average(beta: v128, s: v128, c: v128, x: v128): v128 {
  return f32x4.add(f32x4.mul(beta, s), f32x4.mul(c, x));
}

/** Adam's new parameter: p·decay − stepSize·m / (√v·invSqrtBias2 + ε). */
function adamParam(
  p: v128,
  m: v128,
  v: v128,
  decay: v128,
  stepSize: v128,
  invSqrtBias2: v128,
  eps: v128,
): v128 {
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(v), invSqrtBias2), eps);
  return f32x4.sub(f32x4.mul(p, decay), f32x4.div(f32x4.mul(stepSize, m), denom));
}

/**
 * One Adam/AdamW step over n floats (AdamUpdate): m' = β1·m + (1−β1)·g, v' = β2·v + (1−β2)·g²,
 * p' = p·decay − stepSize·m' / (√v'·invSqrtBias2 + ε), with the scalars of ops-math's
 * adamScalars. Outputs do not overlap the inputs.
 */
export function adamUpdate(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  pOut: usize,
  mOut: usize,
  vOut: usize,
  n: i32,
  beta1: f32,
  beta2: f32,
  decay: f32,
  stepSize: f32,
  invSqrtBias2: f32,
  epsilon: f32,
): void {
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(<f32>(1 - <f64>beta1));
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(<f32>(1 - <f64>beta2));
  const dc = f32x4.splat(decay);
  const ss = f32x4.splat(stepSize);
  const ib = f32x4.splat(invSqrtBias2);
  const eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    const m1 = average(b1, v128.load(m + o), c1, gv);
    const v1 = average(b2, v128.load(v + o), c2, f32x4.mul(gv, gv));
    v128.store(mOut + o, m1);
    v128.store(vOut + o, v1);
    v128.store(pOut + o, adamParam(v128.load(p + o), m1, v1, dc, ss, ib, eps));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gv = f32x4.splat(load<f32>(g + o));
    const m1 = average(b1, f32x4.splat(load<f32>(m + o)), c1, gv);
    const v1 = average(b2, f32x4.splat(load<f32>(v + o)), c2, f32x4.mul(gv, gv));
    store<f32>(mOut + o, f32x4.extract_lane(m1, 0));
    store<f32>(vOut + o, f32x4.extract_lane(v1, 0));
    const p1 = adamParam(f32x4.splat(load<f32>(p + o)), m1, v1, dc, ss, ib, eps);
    store<f32>(pOut + o, f32x4.extract_lane(p1, 0));
  }
}

/** SGD with momentum's new parameter: p − lr·(Nesterov ? g + μ·b : b), b the new buffer. */
function momentumParam(p: v128, g: v128, b: v128, lr: v128, mu: v128, nesterov: bool): v128 {
  const direction = nesterov ? f32x4.add(g, f32x4.mul(mu, b)) : b;
  return f32x4.sub(p, f32x4.mul(lr, direction));
}

/**
 * One SGD-with-momentum step over n floats (MomentumUpdate): b' = μ·b + g;
 * p' = p − lr·b', or with Nesterov p' = p − lr·(g + μ·b'). Outputs do not overlap the inputs.
 */
export function momentumUpdate(
  p: usize,
  g: usize,
  b: usize,
  pOut: usize,
  bOut: usize,
  n: i32,
  lr: f32,
  momentum: f32,
  nesterov: bool,
): void {
  const lv = f32x4.splat(lr);
  const mu = f32x4.splat(momentum);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const gv = v128.load(g + o);
    const b1 = average(mu, v128.load(b + o), one, gv);
    v128.store(bOut + o, b1);
    v128.store(pOut + o, momentumParam(v128.load(p + o), gv, b1, lv, mu, nesterov));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const gv = f32x4.splat(load<f32>(g + o));
    const b1 = average(mu, f32x4.splat(load<f32>(b + o)), one, gv);
    store<f32>(bOut + o, f32x4.extract_lane(b1, 0));
    const p1 = momentumParam(f32x4.splat(load<f32>(p + o)), gv, b1, lv, mu, nesterov);
    store<f32>(pOut + o, f32x4.extract_lane(p1, 0));
  }
}

/**
 * One RMSprop step over n floats (RMSPropUpdate): s' = ρ·s + (1−ρ)·g²; centered: ḡ' = ρ·ḡ +
 * (1−ρ)·g and d = √(s' − ḡ'²) + ε, else d = √s' + ε; with momentum (`useMomentum`): b' = μ·b
 * + g/d, p' = p − lr·b', else p' = p − lr·g/d. gAvg/gAvgOut and buf/bufOut are read and
 * written only when used. Outputs do not overlap the inputs.
 */
export function rmspropUpdate(
  p: usize,
  g: usize,
  s: usize,
  gAvg: usize,
  buf: usize,
  pOut: usize,
  sOut: usize,
  gAvgOut: usize,
  bufOut: usize,
  n: i32,
  lr: f32,
  decay: f32,
  momentum: f32,
  epsilon: f32,
  centered: bool,
  useMomentum: bool,
): void {
  const rho = f32x4.splat(decay);
  const c = f32x4.splat(<f32>(1 - <f64>decay));
  const lv = f32x4.splat(lr);
  const mu = f32x4.splat(momentum);
  const eps = f32x4.splat(epsilon);
  const one = f32x4.splat(1);
  // Whole vectors, then the tail as single lanes (width 1: loads and stores of one float).
  for (let i = 0, width = 4; i < n; i += width) {
    if (i + 4 > n) width = 1;
    const o = (<usize>i) << 2;
    const gv = width == 4 ? v128.load(g + o) : f32x4.splat(load<f32>(g + o));
    const sv = width == 4 ? v128.load(s + o) : f32x4.splat(load<f32>(s + o));
    const s1 = average(rho, sv, c, f32x4.mul(gv, gv));
    let avg = s1;
    storeLanes(sOut + o, s1, width);
    if (centered) {
      const av = width == 4 ? v128.load(gAvg + o) : f32x4.splat(load<f32>(gAvg + o));
      const a1 = average(rho, av, c, gv);
      storeLanes(gAvgOut + o, a1, width);
      avg = f32x4.sub(s1, f32x4.mul(a1, a1));
    }
    let step = f32x4.div(gv, f32x4.add(f32x4.sqrt(avg), eps));
    if (useMomentum) {
      const bv = width == 4 ? v128.load(buf + o) : f32x4.splat(load<f32>(buf + o));
      step = average(mu, bv, one, step);
      storeLanes(bufOut + o, step, width);
    }
    const pv = width == 4 ? v128.load(p + o) : f32x4.splat(load<f32>(p + o));
    storeLanes(pOut + o, f32x4.sub(pv, f32x4.mul(lv, step)), width);
  }
}

/** Stores four lanes, or only the first (width 1). */
function storeLanes(ptr: usize, v: v128, width: i32): void {
  if (width == 4) v128.store(ptr, v);
  else store<f32>(ptr, f32x4.extract_lane(v, 0));
}
