import type { DType, Tensor } from '@tapegrad/core';
import { ArgumentError, DTypeError, ShapeError } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { adamUpdate, momentumUpdate, rmspropUpdate } from '../index.js';
import type { AdamUpdateOptions } from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose } from './helpers.js';

interface AdamState {
  p: number[];
  m: number[];
  v: number[];
}

/** torch.optim.Adam/AdamW's update written out in float64, element by element. */
function adamRef(s: AdamState, g: readonly number[], o: Required<AdamUpdateOptions>): AdamState {
  const { lr, step, beta1, beta2, epsilon, weightDecay } = o;
  const m = s.m.map((mi, i) => beta1 * mi + (1 - beta1) * g[i]!);
  const v = s.v.map((vi, i) => beta2 * vi + (1 - beta2) * g[i]! * g[i]!);
  const p = s.p.map((pi, i) => {
    const mHat = m[i]! / (1 - beta1 ** step);
    const vHat = v[i]! / (1 - beta2 ** step);
    return pi * (1 - lr * weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  });
  return { p, m, v };
}

const values = (t: Tensor) => Array.from(t.dataSync(), Number);

export function optimizerSuite(ctx: SuiteContext): void {
  describe('optimizer updates', () => {
    describe('adamUpdate', () => {
      it('matches hand-derived steps (first step moves by lr; bias corrections; AdamW decay)', () => {
        const first = adamUpdate(ctx.t([1, 2]), [2, -4], [0, 0], [0, 0], { lr: 0.1, step: 1 });
        // m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g²: p − 0.1·g/|g|.
        expectClose(first.param, [0.9, 2.1]);
        expectClose(first.m, [0.2, -0.4]);
        expectClose(first.v, [0.004, 0.016]);
        // β1 = 0.5, β2 = 0.75, t = 2: m = 0.75, v = 0.4375, m̂ = 0.75/0.75 = 1, v̂ = 0.4375/0.4375 = 1.
        const opts = { lr: 0.1, step: 2, beta1: 0.5, beta2: 0.75, epsilon: 0 };
        const second = adamUpdate(ctx.t([1, -3]), [1, 1], [0.5, 0.5], [0.25, 0.25], opts);
        expectClose(second.param, [0.9, -3.1]);
        expectClose(second.m, [0.75, 0.75]);
        expectClose(second.v, [0.4375, 0.4375]);
        // AdamW: p·(1 − 0.1·0.5) − 0.1.
        const decayed = adamUpdate(ctx.t([1, -3]), [1, 1], [0.5, 0.5], [0.25, 0.25], {
          ...opts,
          weightDecay: 0.5,
        });
        expectClose(decayed.param, [0.85, -2.95]);
      });

      const cases: { dtype: DType; shape: number[]; options: Required<AdamUpdateOptions> }[] = [
        {
          dtype: 'float32',
          shape: [2, 3, 5],
          options: { lr: 0.01, step: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
        },
        {
          dtype: 'float32',
          shape: [1027],
          options: { lr: 0.003, step: 7, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1 },
        },
        {
          dtype: 'float64',
          shape: [3, 7],
          options: {
            lr: 0.02,
            step: 3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weightDecay: 0.01,
          },
        },
      ];
      for (const { dtype, shape, options } of cases) {
        it(`three chained steps of a ${shape.join('x')} ${dtype} tensor match a float64 reference (t = ${options.step}…, λ = ${options.weightDecay})`, () => {
          let p = ctx.rand(shape, 1, -1, 1, dtype);
          let m = ctx.rand(shape, 2, -0.5, 0.5, dtype);
          let v = ctx.rand(shape, 3, 0, 0.5, dtype);
          let ref: AdamState = { p: values(p), m: values(m), v: values(v) };
          for (let k = 0; k < 3; k++) {
            const g = ctx.rand(shape, 10 + k, -1, 1, dtype);
            const o = { ...options, step: options.step + k };
            ({ param: p, m, v } = adamUpdate(p, g, m, v, o));
            expect([p.dtype, m.dtype, v.dtype]).toEqual([dtype, dtype, dtype]);
            ref = adamRef(ref, values(g), o);
            const tol =
              dtype === 'float64' ? { atol: 1e-13, rtol: 1e-12 } : { atol: 1e-6, rtol: 1e-5 };
            expectClose(p, ref.p, { shape, ...tol });
            expectClose(m, ref.m, { shape, ...tol });
            expectClose(v, ref.v, { shape, ...tol });
          }
        });
      }

      it('handles a scalar and an empty tensor', () => {
        const s = adamUpdate(ctx.t(3), 1, 0, 0, { lr: 0.5, step: 1 });
        expectClose(s.param, 2.5, { shape: [] });
        const e = adamUpdate(ctx.t([], [0]), ctx.t([], [0]), ctx.t([], [0]), ctx.t([], [0]), {
          lr: 0.1,
          step: 1,
        });
        expect(e.param.shape).toEqual([0]);
      });

      it('is not differentiable: its outputs carry no gradient', () => {
        const p = ctx.t([1, 2]).requiresGrad_();
        const g = ctx.t([0.5, 0.5]).requiresGrad_();
        const out = adamUpdate(p, g, [0, 0], [0, 0], { lr: 0.1, step: 1 });
        expect([out.param.requiresGrad, out.m.requiresGrad, out.v.requiresGrad]).toEqual([
          false,
          false,
          false,
        ]);
        expect(() => out.param.sum().backward()).toThrow(/does not require grad/);
      });

      it('rejects mismatched shapes, dtypes and bad hyperparameters with clear errors', () => {
        const p = ctx.t([1, 2]);
        const z = ctx.t([0, 0]);
        expect(() => adamUpdate(p, ctx.t([1, 2, 3]), z, z, { lr: 0.1, step: 1 })).toThrow(
          ShapeError,
        );
        expect(() => adamUpdate(p, z, ctx.t([[0, 0]]), z, { lr: 0.1, step: 1 })).toThrow(
          /adamUpdate: m has shape \[1,2\] but param has \[2\]/,
        );
        expect(() =>
          adamUpdate(p, z, z, ctx.t([0, 0], [2], 'float64'), { lr: 0.1, step: 1 }),
        ).toThrow(DTypeError);
        expect(() =>
          adamUpdate(ctx.t([1, 2], [2], 'int32'), z, z, z, { lr: 0.1, step: 1 }),
        ).toThrow(/adamUpdate: param must be a float tensor/);
        const bad: [Partial<AdamUpdateOptions>, RegExp][] = [
          [{ step: 0 }, /adamUpdate: step must be an integer >= 1, got 0/],
          [{ step: 1.5 }, /step must be an integer >= 1/],
          [{ beta1: 1 }, /adamUpdate: beta1 must be in \[0, 1\), got 1/],
          [{ beta2: -0.1 }, /beta2 must be in \[0, 1\)/],
          [{ lr: -1 }, /adamUpdate: lr must be a finite number >= 0, got -1/],
          [{ epsilon: NaN }, /epsilon must be a finite number >= 0, got NaN/],
          [{ weightDecay: -0.5 }, /weightDecay must be a finite number >= 0/],
        ];
        for (const [o, message] of bad) {
          const call = () => adamUpdate(p, z, z, z, { lr: 0.1, step: 1, ...o });
          expect(call).toThrow(ArgumentError);
          expect(call).toThrow(message);
        }
      });
    });

    describe('momentumUpdate', () => {
      it('matches hand-derived steps, with and without Nesterov', () => {
        const s = momentumUpdate(ctx.t([1, 2]), [1, -1], [0.5, 0.5], { lr: 0.1, momentum: 0.9 });
        expectClose(s.buf, [1.45, -0.55]); // 0.9·0.5 + g
        expectClose(s.param, [0.855, 2.055]); // p − 0.1·b
        const n = momentumUpdate(ctx.t([1, 2]), [1, -1], [0.5, 0.5], {
          lr: 0.1,
          momentum: 0.9,
          nesterov: true,
        });
        expectClose(n.buf, [1.45, -0.55]);
        expectClose(n.param, [1 - 0.1 * (1 + 0.9 * 1.45), 2 - 0.1 * (-1 - 0.9 * 0.55)]);
      });

      for (const [dtype, shape, nesterov] of [
        ['float32', [1027], false],
        ['float32', [3, 5], true],
        ['float64', [2, 7], true],
      ] as const) {
        it(`three chained steps of a ${shape.join('x')} ${dtype} tensor (nesterov ${nesterov}) match a float64 reference`, () => {
          let p = ctx.rand([...shape], 4, -1, 1, dtype);
          let b = ctx.rand([...shape], 5, -0.5, 0.5, dtype);
          let rp = values(p);
          let rb = values(b);
          const tol =
            dtype === 'float64' ? { atol: 1e-13, rtol: 1e-12 } : { atol: 1e-6, rtol: 1e-5 };
          for (let k = 0; k < 3; k++) {
            const g = ctx.rand([...shape], 20 + k, -1, 1, dtype);
            const gs = values(g);
            ({ param: p, buf: b } = momentumUpdate(p, g, b, { lr: 0.05, momentum: 0.8, nesterov }));
            rb = rb.map((bi, i) => 0.8 * bi + gs[i]!);
            rp = rp.map((pi, i) => pi - 0.05 * (nesterov ? gs[i]! + 0.8 * rb[i]! : rb[i]!));
            expect([p.dtype, b.dtype]).toEqual([dtype, dtype]);
            expectClose(b, rb, { shape: [...shape], ...tol });
            expectClose(p, rp, { shape: [...shape], ...tol });
          }
        });
      }

      it('is not differentiable and rejects bad inputs with clear errors', () => {
        const p = ctx.t([1, 2]).requiresGrad_();
        expect(
          momentumUpdate(p, [1, 1], [0, 0], { lr: 0.1, momentum: 0.9 }).param.requiresGrad,
        ).toBe(false);
        expect(() => momentumUpdate(p, [1, 1, 1], [0, 0], { lr: 0.1, momentum: 0.9 })).toThrow(
          /momentumUpdate: grad has shape \[3\] but param has \[2\]/,
        );
        expect(() => momentumUpdate(p, [1, 1], [0, 0], { lr: 0.1, momentum: -1 })).toThrow(
          /momentumUpdate: momentum must be a finite number >= 0, got -1/,
        );
        expect(() =>
          ctx.engine.run('MomentumUpdate', [p, p, p], { lr: 0.1, momentum: 0.9 }),
        ).toThrow(/momentumUpdate: nesterov must be true or false, got undefined/);
      });
    });

    describe('rmspropUpdate', () => {
      it('matches a hand-derived first step', () => {
        const s = rmspropUpdate(ctx.t([1, 2]), [2, -4], { squareAvg: [0, 0] }, { lr: 0.01 });
        expectClose(s.squareAvg, [0.4, 1.6]); // 0.1·g²
        // g / √(0.1·g²) = ±√10
        expectClose(s.param, [1 - 0.01 * Math.sqrt(10), 2 + 0.01 * Math.sqrt(10)]);
      });

      for (const [dtype, shape, centered, momentum] of [
        ['float32', [1027], false, 0],
        ['float32', [3, 5], true, 0],
        ['float32', [2, 9], false, 0.9],
        ['float32', [1031], true, 0.5],
        ['float64', [2, 7], true, 0.9],
      ] as const) {
        it(`three chained steps of a ${shape.join('x')} ${dtype} tensor (centered ${centered}, momentum ${momentum}) match a float64 reference`, () => {
          const sh = [...shape];
          let p = ctx.rand(sh, 6, -1, 1, dtype);
          let sq = ctx.rand(sh, 7, 0.5, 1, dtype);
          let ga: Tensor | undefined = centered ? ctx.rand(sh, 8, -0.3, 0.3, dtype) : undefined;
          let buf: Tensor | undefined =
            momentum > 0 ? ctx.rand(sh, 9, -0.5, 0.5, dtype) : undefined;
          let [rp, rs] = [values(p), values(sq)];
          let rg = ga ? values(ga) : [];
          let rb = buf ? values(buf) : [];
          const o = { lr: 0.01, decay: 0.8, momentum, epsilon: 1e-6, centered };
          const tol =
            dtype === 'float64' ? { atol: 1e-13, rtol: 1e-12 } : { atol: 1e-6, rtol: 1e-5 };
          for (let k = 0; k < 3; k++) {
            const g = ctx.rand(sh, 30 + k, -1, 1, dtype);
            const gs = values(g);
            const next = rmspropUpdate(p, g, { squareAvg: sq, gradAvg: ga, buf }, o);
            ({ param: p, squareAvg: sq, gradAvg: ga, buf } = next);
            rs = rs.map((si, i) => 0.8 * si + 0.2 * gs[i]! * gs[i]!);
            if (centered) rg = rg.map((ai, i) => 0.8 * ai + 0.2 * gs[i]!);
            const step = gs.map(
              (gi, i) => gi / (Math.sqrt(centered ? rs[i]! - rg[i]! * rg[i]! : rs[i]!) + 1e-6),
            );
            if (momentum > 0) rb = rb.map((bi, i) => momentum * bi + step[i]!);
            rp = rp.map((pi, i) => pi - 0.01 * (momentum > 0 ? rb[i]! : step[i]!));
            expectClose(sq, rs, { shape: sh, ...tol });
            if (centered) expectClose(ga!, rg, { shape: sh, ...tol });
            else expect(ga).toBeUndefined();
            if (momentum > 0) expectClose(buf!, rb, { shape: sh, ...tol });
            else expect(buf).toBeUndefined();
            expectClose(p, rp, { shape: sh, ...tol });
          }
        });
      }

      it('rejects missing state, wrong input counts and bad hyperparameters with clear errors', () => {
        const p = ctx.t([1, 2]);
        const z = ctx.t([0, 0]);
        expect(() => rmspropUpdate(p, z, { squareAvg: z }, { lr: 0.1, centered: true })).toThrow(
          /rmspropUpdate: state.gradAvg is required with centered=true, momentum=0/,
        );
        expect(() =>
          ctx.engine.run('RMSPropUpdate', [p, z, z], {
            lr: 0.1,
            decay: 0.9,
            momentum: 0.9,
            epsilon: 1e-8,
            centered: false,
          }),
        ).toThrow(/rmspropUpdate: expected 4 inputs \(param, grad, squareAvg, buf\)/);
        expect(() => rmspropUpdate(p, z, { squareAvg: z }, { lr: 0.1, decay: 1 })).toThrow(
          /rmspropUpdate: decay must be in \[0, 1\), got 1/,
        );
      });
    });
  });
}
