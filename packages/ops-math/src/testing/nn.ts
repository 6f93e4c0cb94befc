import type { Tensor } from '@tapegrad/core';
import { ShapeError } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { Reduction, logSoftmax, losses, moments, softmax } from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradCheck, expectGradients } from './helpers.js';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/** Reference softmax of one row, in float64 JS. */
function softmaxRef(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function nnSuite(ctx: SuiteContext): void {
  describe('nn', () => {
    describe('softmax and logSoftmax', () => {
      it('match hand-derived values, along the last axis and along axis 0', () => {
        expectClose(softmax(ctx.t([1, 2, 3])), [0.09003057, 0.24472847, 0.66524096]);
        expectClose(logSoftmax(ctx.t([1, 2, 3])), [-2.40760596, -1.40760596, -0.40760596]);
        expectClose(
          softmax(
            ctx.t([
              [1, 2],
              [3, 4],
            ]),
            0,
          ),
          [
            [0.11920292, 0.11920292],
            [0.88079708, 0.88079708],
          ],
        );
        expectClose(
          logSoftmax(
            ctx.t([
              [1, 2],
              [3, 4],
            ]),
            -2,
          ),
          [
            [-2.12692801, -2.12692801],
            [-0.12692801, -0.12692801],
          ],
        );
      });

      it('are stable for large logits and rows sum to one', () => {
        expectClose(softmax(ctx.t([1000, 1001])), [0.26894142, 0.73105858]);
        expectClose(logSoftmax(ctx.t([-1000, 0])), [-1000, 0]);
        const x = ctx.rand([3, 5], 11, -20, 20);
        const rows = Array.from(softmax(x).dataSync());
        for (let r = 0; r < 3; r++)
          expect(rows.slice(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        const ref = Array.from(x.dataSync());
        expectClose(
          softmax(x),
          [0, 1, 2].flatMap((r) => softmaxRef(ref.slice(r * 5, r * 5 + 5))),
          { atol: 1e-6 },
        );
      });

      it('have first and second derivatives (the weak spot of other libraries)', () => {
        expectGradients((x) => softmax(x), [ctx.rand([2, 4], 1, -2, 2)]);
        expectGradients((x) => softmax(x, 0), [ctx.rand([3, 2], 2, -2, 2)]);
        expectGradients((x) => logSoftmax(x), [ctx.rand([2, 3], 3, -2, 2)]);
        expectGradients((x) => logSoftmax(x, 1), [ctx.rand([2, 3, 2], 4, -2, 2)]);
      });

      it('reject a bad axis and non-float-compatible input with clear errors, leaving the input intact', () => {
        const x = ctx.t([[1, 2]]);
        expect(() => softmax(x, 2)).toThrow(ShapeError);
        expect(() => softmax(x, 2)).toThrow(
          /softmax: dim 2 is out of range for a tensor of rank 2/,
        );
        expectClose(x, [[1, 2]]);
        expectClose(softmax(ctx.t([0, 0], undefined, 'int32')), [0.5, 0.5]);
      });
    });

    describe('moments', () => {
      it('mean and population variance over axes, with keepDims', () => {
        const x = ctx.t([
          [1, 2],
          [3, 4],
        ]);
        const all = moments(x);
        expectClose(all.mean, [2.5], { shape: [] });
        expectClose(all.variance, [1.25], { shape: [] });
        const cols = moments(x, 0);
        expectClose(cols.mean, [2, 3], { shape: [2] });
        expectClose(cols.variance, [1, 1]);
        const rows = moments(x, -1, true);
        expectClose(rows.mean, [[1.5], [3.5]], { shape: [2, 1] });
        expectClose(rows.variance, [[0.25], [0.25]], { shape: [2, 1] });
      });

      it('are differentiable to second order', () => {
        expectGradients((x) => moments(x, 1).variance, [ctx.rand([2, 3], 5)]);
        expectGradients((x) => moments(x, [0, 2], true).mean, [ctx.rand([2, 2, 2], 6)]);
      });
    });

    describe('losses', () => {
      const labels = [
        [0, 1, 0],
        [1, 0, 0],
      ];
      const logits = [
        [0.2, 1.5, -0.3],
        [2.0, -1.0, 0.5],
      ];

      it('SoftmaxCrossEntropyWithLogits and its Grad: rank 3, soft labels (Σ ≠ 1), large and −∞ logits, against float64 references', () => {
        const run = (op: string, inputs: Tensor[]) => ctx.engine.run(op, inputs) as Tensor;
        const shape = [2, 3, 5];
        const x = ctx.rand(shape, 31, -30, 30);
        const y = ctx.rand(shape, 32, 0, 1); // soft labels, rows not summing to 1
        const dy = ctx.rand([2, 3], 33, -2, 2);
        const xs = Array.from(x.dataSync());
        const ys = Array.from(y.dataSync());
        const dys = Array.from(dy.dataSync());
        const loss: number[] = [];
        const grad: number[] = [];
        for (let r = 0; r < 6; r++) {
          const row = xs.slice(r * 5, r * 5 + 5);
          const lab = ys.slice(r * 5, r * 5 + 5);
          const p = softmaxRef(row);
          const labelSum = lab.reduce((a, b) => a + b, 0);
          loss.push(-lab.reduce((s, l, k) => s + l * Math.log(p[k]!), 0));
          grad.push(...p.map((pk, k) => dys[r]! * (pk * labelSum - lab[k]!)));
        }
        expectClose(run('SoftmaxCrossEntropyWithLogits', [y, x]), loss, {
          shape: [2, 3],
          rtol: 1e-5,
          atol: 1e-5,
        });
        expectClose(run('SoftmaxCrossEntropyGrad', [dy, y, x]), grad, { shape, atol: 1e-6 });
        // Large logits stay finite; a −∞ logit with label 0 in the gradient is exactly 0·dy.
        expectClose(
          run('SoftmaxCrossEntropyWithLogits', [ctx.t([[0, 1]]), ctx.t([[1000, 1001]])]),
          [0.31326169],
        );
        expectClose(
          run('SoftmaxCrossEntropyGrad', [
            ctx.t([2]),
            ctx.t([[0, 1, 0]]),
            ctx.t([[0, 0, -Infinity]]),
          ]),
          [[1, -1, 0]],
        );
        expect(() =>
          run('SoftmaxCrossEntropyWithLogits', [ctx.t([[1, 0]]), ctx.t([[1, 2, 3]])]),
        ).toThrow(/softmaxCrossEntropy: labels \[1,2\] and logits \[1,3\] must have one shape/);
      });

      it("SoftmaxCrossEntropyGrad's own gradient (dy, soft labels, logits): float64 first and second order", () => {
        const grad = (dy: Tensor, y: Tensor, x: Tensor) =>
          ctx.engine.run('SoftmaxCrossEntropyGrad', [dy, y, x]) as Tensor;
        expectGradients(grad, [
          ctx.t([0.7, -1.3], [2], 'float64'),
          ctx.t([0.2, 0.5, 0.1, 0.6, 0.3, 0.4], [2, 3], 'float64'),
          ctx.t([0.3, -0.8, 1.1, -0.2, 0.9, 0.4], [2, 3], 'float64'),
        ]);
      });

      it('softmaxCrossEntropy equals −Σ y·log softmax, averaged over examples', () => {
        const per = logits.map(
          (row, r) => -softmaxRef(row).reduce((s, p, k) => s + labels[r]![k]! * Math.log(p), 0),
        );
        expectClose(
          losses.softmaxCrossEntropy(ctx.t(labels), ctx.t(logits)),
          [(per[0]! + per[1]!) / 2],
          { shape: [] },
        );
        expectClose(
          losses.softmaxCrossEntropy(ctx.t(labels), ctx.t(logits), null, 0, Reduction.NONE),
          per,
        );
        expectClose(
          losses.softmaxCrossEntropy(ctx.t(labels), ctx.t(logits), null, 0, Reduction.SUM),
          [per[0]! + per[1]!],
        );
        // label smoothing 0.3 with 3 classes: y ← 0.7·y + 0.1
        const smooth = logits.map(
          (row, r) =>
            -softmaxRef(row).reduce((s, p, k) => s + (0.7 * labels[r]![k]! + 0.1) * Math.log(p), 0),
        );
        expectClose(
          losses.softmaxCrossEntropy(ctx.t(labels), ctx.t(logits), null, 0.3, Reduction.NONE),
          smooth,
        );
      });

      it('sigmoidCrossEntropy equals −z·log σ(x) − (1−z)·log(1−σ(x)), stably for large logits', () => {
        const z = [1, 0, 1, 0];
        const x = [0.5, -1.2, 3, 2];
        const ref = x.map(
          (v, i) => -(z[i]! * Math.log(sigma(v)) + (1 - z[i]!) * Math.log(1 - sigma(v))),
        );
        expectClose(losses.sigmoidCrossEntropy(ctx.t(z), ctx.t(x), null, 0, Reduction.NONE), ref);
        expectClose(
          losses.sigmoidCrossEntropy(ctx.t([1, 0]), ctx.t([200, -200]), null, 0, Reduction.NONE),
          [0, 0],
        );
        expectClose(
          losses.sigmoidCrossEntropy(ctx.t([0]), ctx.t([100]), null, 0, Reduction.NONE),
          [100],
        );
      });

      it('meanSquaredError, absoluteDifference, huberLoss, hingeLoss, logLoss, cosineDistance', () => {
        const y = ctx.t([
          [1, 2],
          [3, 4],
        ]);
        const p = ctx.t([
          [1.5, 1],
          [3, 6],
        ]);
        expectClose(losses.meanSquaredError(y, p), [(0.25 + 1 + 0 + 4) / 4]);
        expectClose(losses.absoluteDifference(y, p), [(0.5 + 1 + 0 + 2) / 4]);
        // errors 0.5, 1, 0, 2 with delta 1: 0.125, 0.5, 0, 0.5·1 + 1·1
        expectClose(losses.huberLoss(y, p), [(0.125 + 0.5 + 0 + 1.5) / 4]);
        expectClose(
          losses.hingeLoss(ctx.t([1, 0]), ctx.t([0.3, -2]), null, Reduction.NONE),
          [0.7, 0],
        );
        expectClose(losses.logLoss(ctx.t([1, 0]), ctx.t([0.8, 0.4]), null, 0, Reduction.NONE), [
          -Math.log(0.8),
          -Math.log(0.6),
        ]);
        expectClose(
          losses.cosineDistance(
            ctx.t([
              [1, 0],
              [0, 1],
            ]),
            ctx.t([
              [0.6, 0.8],
              [0.6, 0.8],
            ]),
            1,
            null,
            Reduction.NONE,
          ),
          [[0.4], [0.2]],
        );
      });

      it('weights and reductions follow tfjs (SUM_BY_NONZERO_WEIGHTS by default)', () => {
        const y = ctx.t([
          [1, 2],
          [3, 4],
        ]);
        const p = ctx.t([
          [2, 2],
          [5, 4],
        ]); // squared errors 1, 0, 4, 0
        const w = ctx.t([[2], [0]]); // broadcast over columns: weighted 2, 0, 0, 0
        expectClose(losses.meanSquaredError(y, p, w), [2 / 2]);
        expectClose(losses.meanSquaredError(y, p, w, Reduction.SUM), [2]);
        expectClose(losses.meanSquaredError(y, p, w, Reduction.MEAN), [2 / 4]);
        expectClose(losses.meanSquaredError(y, p, w, Reduction.NONE), [
          [2, 0],
          [0, 0],
        ]);
        expectClose(losses.computeWeightedLoss(ctx.t([1, 2, 3])), [2]);
      });

      it('mismatched label and prediction shapes name both', () => {
        expect(() => losses.meanSquaredError(ctx.t([1, 2]), ctx.t([1, 2, 3]))).toThrow(
          /meanSquaredError: labels \[2\] and predictions \[3\] must have the same shape/,
        );
      });

      it('every loss has correct gradients w.r.t. predictions (and labels for the cross-entropies)', () => {
        const y = ctx.rand([2, 3], 21, 0, 1);
        const p = ctx.rand([2, 3], 22, 0.1, 0.9);
        const far = ctx.t([
          [0.1, 0.9, 0.3],
          [0.8, 0.05, 0.6],
        ]); // |p − y| ≠ 0 and ≠ delta
        const w = ctx.t([[1], [0.5]]);
        const check = (f: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor) =>
          expectGradCheck(f, [a, b]);
        check((a, b) => losses.meanSquaredError(a, b, w), y, p);
        check((a, b) => losses.absoluteDifference(a, b), y, far);
        check((a, b) => losses.huberLoss(a, b, null, 0.25), y, far);
        check((a, b) => losses.logLoss(a, b), y, p);
        check(
          (a, b) => losses.hingeLoss(a, b),
          ctx.t([
            [1, 0, 1],
            [0, 1, 0],
          ]),
          ctx.t([
            [0.5, 0.2, -0.4],
            [-2, 0.3, 0.1],
          ]),
        );
        check(
          (a, b) => losses.sigmoidCrossEntropy(a, b, null, 0.1),
          y,
          ctx.rand([2, 3], 23, -3, 3),
        );
        check(
          (a, b) => losses.softmaxCrossEntropy(a, b, w.reshape([2]), 0.2),
          y,
          ctx.rand([2, 3], 24, -3, 3),
        );
        check((a, b) => losses.cosineDistance(a, b, 1, null, Reduction.SUM), y, p);
        expectGradients(
          (a, b) => losses.softmaxCrossEntropy(a, b),
          [y, ctx.rand([2, 3], 25, -2, 2)],
        );
      });
    });
  });
}
