import type { Tensor } from '@tapegrad/core';
import { grads } from '@tapegrad/core';
import type { SuiteContext } from '@tapegrad/ops-math/testing';
import { expectClose, expectGradCheck, expectSecondOrder } from '@tapegrad/ops-math/testing';
import { describe, expect, it } from 'vitest';
import {
  conv1d,
  conv2d,
  conv2dTranspose,
  conv3d,
  depthwiseConv2d,
  separableConv2d,
} from '../index.js';
import type { PadSpec } from '../index.js';
import type { RefPad, RefTensor, RefWindow } from './reference.js';
import { refConv, refConvTranspose, refToChannelsFirst } from './reference.js';

/** 1, 2, ..., n as a tensor of `shape`. */
function iota(ctx: SuiteContext, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return ctx.t(
    Array.from({ length: n }, (_, i) => i + 1),
    shape,
  );
}

export function refOf(t: Tensor): RefTensor {
  return { data: Array.from(t.dataSync(), Number), shape: [...t.shape] };
}

/** Compares an op result with a float64 reference computed from the same float32 inputs. */
export function expectRef(actual: Tensor, ref: RefTensor): void {
  expectClose(actual, ref.data, { shape: ref.shape, atol: 1e-5, rtol: 1e-4 });
}

interface Case2D {
  name: string;
  pad: PadSpec;
  strides: number | [number, number];
  dilations: number | [number, number];
  rounding?: 'floor' | 'round' | 'ceil';
}

const list2 = (v: number | [number, number]) => (typeof v === 'number' ? [v, v] : v);

/** The padding / stride / dilation grid of the conv2d and depthwise reference checks. */
const CASES_2D: Case2D[] = [
  { name: 'valid', pad: 'valid', strides: 1, dilations: 1 },
  { name: 'same', pad: 'same', strides: 1, dilations: 1 },
  { name: 'valid, strides 2', pad: 'valid', strides: 2, dilations: 1 },
  { name: 'same, strides 2', pad: 'same', strides: 2, dilations: 1 },
  { name: 'same, strides [1,2]', pad: 'same', strides: [1, 2], dilations: 1 },
  { name: 'valid, dilation 2', pad: 'valid', strides: 1, dilations: 2 },
  { name: 'same, dilations [2,1]', pad: 'same', strides: 1, dilations: [2, 1] },
  { name: 'pad 1', pad: 1, strides: 1, dilations: 1 },
  { name: 'pad 1, strides 2, ceil', pad: 1, strides: 2, dilations: 1, rounding: 'ceil' },
  { name: 'pad 1, strides 2, round', pad: 1, strides: 2, dilations: 1, rounding: 'round' },
  {
    name: 'explicit',
    pad: [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
    strides: 1,
    dilations: 1,
  },
  {
    name: 'explicit, strides 2',
    pad: [
      [0, 0],
      [0, 2],
      [1, 1],
      [0, 0],
    ],
    strides: 2,
    dilations: 1,
  },
  {
    name: 'explicit, dilation 2',
    pad: [
      [0, 0],
      [2, 2],
      [0, 1],
      [0, 0],
    ],
    strides: 1,
    dilations: 2,
  },
];

function windowOf(c: Case2D): RefWindow {
  return {
    strides: list2(c.strides),
    dilations: list2(c.dilations),
    pad: c.pad as RefPad,
    ...(c.rounding ? { rounding: c.rounding } : {}),
  };
}

/** Explicit NHWC padding in NCHW order. */
function padNCHW(pad: PadSpec): PadSpec {
  if (!Array.isArray(pad)) return pad;
  const p = pad as number[][];
  return [p[0]!, p[3]!, p[1]!, p[2]!];
}

export function convSuite(ctx: SuiteContext): void {
  describe('convolutions', () => {
    describe('forward: hand-computed cases', () => {
      it('conv2d valid and same on a 3×3 image', () => {
        const x = iota(ctx, [1, 3, 3, 1]);
        const w = ctx.t([1, 1, 1, 1], [2, 2, 1, 1]);
        expectClose(conv2d(x, w, 1, 'valid'), [12, 16, 24, 28], { shape: [1, 2, 2, 1] });
        // same: one row/column of padding after (bottom, right)
        expectClose(conv2d(x, w, 1, 'same'), [12, 16, 9, 24, 28, 15, 15, 17, 9], {
          shape: [1, 3, 3, 1],
        });
      });

      it('conv2d with strides, dilations and several channels', () => {
        const x = iota(ctx, [1, 4, 4, 1]);
        expectClose(conv2d(x, ctx.t([1, 0, 0, -1], [2, 2, 1, 1]), 2, 'valid'), [-5, -5, -5, -5], {
          shape: [1, 2, 2, 1],
        });
        // dilation 2: taps (0,0), (0,2), (2,0), (2,2)
        expectClose(
          conv2d(x, ctx.t([1, 1, 1, 1], [2, 2, 1, 1]), 1, 'valid', 'NHWC', 2),
          [24, 28, 40, 44],
          {
            shape: [1, 2, 2, 1],
          },
        );
        const w = ctx.t([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
        expectClose(conv2d(ctx.t([1, 2], [1, 1, 1, 2]), w, 1, 'valid'), [9, 12, 15], {
          shape: [1, 1, 1, 3],
        });
      });

      it('conv1d, conv2dTranspose, depthwiseConv2d, separableConv2d and conv3d', () => {
        expectClose(
          conv1d(ctx.t([1, 2, 3, 4], [1, 4, 1]), ctx.t([1, -1], [2, 1, 1]), 1, 'valid'),
          [-1, -1, -1],
          {
            shape: [1, 3, 1],
          },
        );
        // the full convolution of [[1,2],[3,4]] with a 2×2 box
        expectClose(
          conv2dTranspose(
            ctx.t([1, 2, 3, 4], [1, 2, 2, 1]),
            ctx.t([1, 1, 1, 1], [2, 2, 1, 1]),
            [1, 3, 3, 1],
            1,
            'valid',
          ),
          [1, 3, 2, 4, 10, 6, 3, 7, 4],
          { shape: [1, 3, 3, 1] },
        );
        // channel 0 summed with weight 1, channel 1 with weight 0.5
        const x = ctx.t([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
        const dw = ctx.t([1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5], [2, 2, 2, 1]);
        expectClose(depthwiseConv2d(x, dw, 1, 'valid'), [10, 50], { shape: [1, 1, 1, 2] });
        expectClose(separableConv2d(x, dw, ctx.t([1, -1], [1, 1, 2, 1]), 1, 'valid'), [-40], {
          shape: [1, 1, 1, 1],
        });
        expectClose(
          conv3d(
            iota(ctx, [1, 2, 2, 2, 1]),
            ctx.t([1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 1, 1]),
            1,
            'valid',
          ),
          [36],
          {
            shape: [1, 1, 1, 1, 1],
          },
        );
      });

      it('accepts one example (rank 3) and returns rank 3; float64 stays float64', () => {
        const y = conv2d(iota(ctx, [3, 3, 1]), ctx.t([1, 1, 1, 1], [2, 2, 1, 1]), 1, 'valid');
        expectClose(y, [12, 16, 24, 28], { shape: [2, 2, 1] });
        const y64 = conv2d(
          ctx.t([1, 2, 3, 4], [1, 2, 2, 1], 'float64'),
          ctx.t([1, 1, 1, 1], [2, 2, 1, 1], 'float64'),
          1,
          'valid',
        );
        expect(y64.dtype).toBe('float64');
        expectClose(y64, [10]);
      });

      it('is chainable: x.conv2d(...), x.depthwiseConv2d(...), x.conv1d(...)', () => {
        const x = ctx.rand([1, 4, 4, 2], 1);
        const w = ctx.rand([3, 3, 2, 2], 2);
        expectClose(x.conv2d(w, 1, 'same'), conv2d(x, w, 1, 'same').dataSync());
        expectClose(x.depthwiseConv2d(w, 1, 'same'), depthwiseConv2d(x, w, 1, 'same').dataSync());
        const x1 = ctx.rand([2, 5, 2], 3);
        const w1 = ctx.rand([2, 2, 3], 4);
        expectClose(x1.conv1d(w1, 1, 'same'), conv1d(x1, w1, 1, 'same').dataSync());
      });
    });

    describe('forward: against a naive direct convolution', () => {
      const x = () => ctx.rand([2, 6, 7, 3], 10);
      const w = () => ctx.rand([3, 2, 3, 4], 11);
      for (const c of CASES_2D) {
        it(`conv2d ${c.name}, NHWC and NCHW`, () => {
          const xt = x();
          const wt = w();
          const ref = refConv(refOf(xt), refOf(wt), windowOf(c));
          expectRef(conv2d(xt, wt, c.strides, c.pad, 'NHWC', c.dilations, c.rounding), ref);
          const xc = ctx.t(refToChannelsFirst(refOf(xt)).data, [2, 3, 6, 7]);
          expectRef(
            conv2d(xc, wt, c.strides, padNCHW(c.pad), 'NCHW', c.dilations, c.rounding),
            refToChannelsFirst(ref),
          );
        });
        it(`depthwiseConv2d ${c.name}, channel multiplier 2`, () => {
          const xt = x();
          const wt = ctx.rand([2, 3, 3, 2], 12);
          expectRef(
            depthwiseConv2d(xt, wt, c.strides, c.pad, 'NHWC', c.dilations, c.rounding),
            refConv(refOf(xt), refOf(wt), windowOf(c), true),
          );
        });
      }

      it('conv2d of one example matches the batched result', () => {
        const xt = ctx.rand([5, 5, 2], 13);
        const wt = ctx.rand([3, 3, 2, 3], 14);
        const ref = refConv({ data: refOf(xt).data, shape: [1, 5, 5, 2] }, refOf(wt), {
          strides: [2, 2],
          dilations: [1, 1],
          pad: 'same',
        });
        expectClose(conv2d(xt, wt, 2, 'same'), ref.data, { shape: [3, 3, 3], rtol: 1e-4 });
        const nchw = conv2d(
          ctx.t(refToChannelsFirst(refOf(addBatchRef(xt))).data, [2, 5, 5]),
          wt,
          2,
          'same',
          'NCHW',
        );
        expectClose(nchw, refToChannelsFirst(ref).data, { shape: [3, 3, 3], rtol: 1e-4 });
      });

      it('conv1d (NWC and NCW, stride, dilation, explicit padding)', () => {
        const xt = ctx.rand([2, 9, 3], 15);
        const wt = ctx.rand([3, 3, 2], 16);
        const x4 = { data: refOf(xt).data, shape: [2, 1, 9, 3] };
        const w4 = { data: refOf(wt).data, shape: [1, 3, 3, 2] };
        const cases: [number, PadSpec, number, RefPad][] = [
          [1, 'valid', 1, 'valid'],
          [2, 'same', 1, 'same'],
          [1, 'same', 2, 'same'],
          [
            1,
            [
              [0, 0],
              [2, 1],
              [0, 0],
            ],
            2,
            [
              [0, 0],
              [0, 0],
              [2, 1],
              [0, 0],
            ],
          ],
        ];
        for (const [stride, pad, dilation, refPad] of cases) {
          const ref = refConv(x4, w4, {
            strides: [1, stride],
            dilations: [1, dilation],
            pad: refPad,
          });
          const y = conv1d(xt, wt, stride, pad, 'NWC', dilation);
          expectClose(y, ref.data, { shape: [2, ref.shape[2]!, 2], rtol: 1e-4 });
          const ncw = conv1d(
            ctx.t(refToChannelsFirst(refOf(xt)).data, [2, 3, 9]),
            wt,
            stride,
            pad === 'same' || pad === 'valid'
              ? pad
              : [
                  [0, 0],
                  [0, 0],
                  [2, 1],
                ],
            'NCW',
            dilation,
          );
          expectClose(
            ncw,
            refToChannelsFirst({ data: ref.data, shape: [2, ref.shape[2]!, 2] }).data,
            { rtol: 1e-4 },
          );
        }
      });

      it('conv3d (NDHWC and NCDHW, strides, dilations, padding)', () => {
        const xt = ctx.rand([2, 4, 5, 4, 2], 17);
        const wt = ctx.rand([2, 3, 2, 2, 3], 18);
        const cases: RefWindow[] = [
          { strides: [1, 1, 1], dilations: [1, 1, 1], pad: 'valid' },
          { strides: [2, 1, 2], dilations: [1, 1, 1], pad: 'same' },
          { strides: [1, 1, 1], dilations: [2, 1, 1], pad: 'same' },
          {
            strides: [1, 2, 1],
            dilations: [1, 1, 1],
            pad: [
              [0, 0],
              [1, 0],
              [0, 1],
              [1, 1],
              [0, 0],
            ],
          },
        ];
        for (const c of cases) {
          const ref = refConv(refOf(xt), refOf(wt), c);
          expectRef(
            conv3d(
              xt,
              wt,
              c.strides as [number, number, number],
              c.pad,
              'NDHWC',
              c.dilations as [number, number, number],
            ),
            ref,
          );
          const pad = Array.isArray(c.pad)
            ? [c.pad[0]!, c.pad[4]!, c.pad[1]!, c.pad[2]!, c.pad[3]!]
            : c.pad;
          const xc = ctx.t(refToChannelsFirst(refOf(xt)).data, [2, 2, 4, 5, 4]);
          expectRef(
            conv3d(
              xc,
              wt,
              c.strides as [number, number, number],
              pad,
              'NCDHW',
              c.dilations as [number, number, number],
            ),
            refToChannelsFirst(ref),
          );
        }
      });

      it('conv2dTranspose is the transposed convolution (valid, same, strides 2, explicit)', () => {
        const wt = ctx.rand([3, 2, 2, 3], 19); // [fh, fw, outDepth, inDepth]
        const cases: [number, PadSpec, number[]][] = [
          [1, 'valid', [2, 6, 5, 2]],
          [2, 'same', [2, 8, 7, 2]],
          [2, 'valid', [2, 9, 8, 2]],
          [
            2,
            [
              [0, 0],
              [1, 1],
              [0, 1],
              [0, 0],
            ],
            [2, 7, 8, 2],
          ],
        ];
        for (const [s, pad, outShape] of cases) {
          // x has the shape of conv2d(output, filter): derive it from the reference geometry
          const probe = refConv(
            {
              data: new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0),
              shape: outShape,
            },
            {
              data: new Array<number>(3 * 2 * 2 * 3).fill(0),
              shape: [3, 2, 2, 3],
            },
            { strides: [s, s], dilations: [1, 1], pad: pad as RefPad },
          );
          const xt = ctx.rand(probe.shape, 20);
          const ref = refConvTranspose(refOf(xt), refOf(wt), outShape, {
            strides: [s, s],
            dilations: [1, 1],
            pad: pad as RefPad,
          });
          expectRef(conv2dTranspose(xt, wt, outShape, s, pad), ref);
        }
      });

      it('separableConv2d is depthwise then pointwise', () => {
        const xt = ctx.rand([2, 5, 6, 2], 21);
        const dw = ctx.rand([3, 3, 2, 2], 22);
        const pw = ctx.rand([1, 1, 4, 3], 23);
        const win: RefWindow = { strides: [2, 2], dilations: [1, 1], pad: 'same' };
        const mid = refConv(refOf(xt), refOf(dw), win, true);
        const ref = refConv(mid, refOf(pw), { strides: [1, 1], dilations: [1, 1], pad: 'valid' });
        expectRef(separableConv2d(xt, dw, pw, 2, 'same'), ref);
        const xc = ctx.t(refToChannelsFirst(refOf(xt)).data, [2, 2, 5, 6]);
        expectRef(separableConv2d(xc, dw, pw, 2, 'same', 1, 'NCHW'), refToChannelsFirst(ref));
      });
    });

    describe('gradients (float64 finite differences)', () => {
      // Small tensors: gradCheck costs one forward per input element.
      const x = () => ctx.rand([2, 4, 5, 2], 30);
      const w = () => ctx.rand([2, 3, 2, 3], 31);
      for (const c of CASES_2D) {
        it(`conv2d w.r.t. input and filter: ${c.name}`, () => {
          expectGradCheck(
            (a, b) => conv2d(a, b, c.strides, c.pad, 'NHWC', c.dilations, c.rounding),
            [x(), w()],
          );
        });
      }

      it('conv2d NCHW and rank-3 input', () => {
        expectGradCheck(
          (a, b) => conv2d(a, b, 2, 'same', 'NCHW'),
          [ctx.rand([2, 2, 4, 5], 32), w()],
        );
        expectGradCheck(
          (a, b) => conv2d(a, b, 1, 'same', 'NHWC', 2),
          [ctx.rand([4, 5, 2], 33), w()],
        );
      });

      it('depthwiseConv2d: valid, same strided, dilated, explicit', () => {
        const dw = () => ctx.rand([2, 3, 2, 2], 34);
        expectGradCheck((a, b) => depthwiseConv2d(a, b, 1, 'valid'), [x(), dw()]);
        expectGradCheck((a, b) => depthwiseConv2d(a, b, 2, 'same'), [x(), dw()]);
        expectGradCheck((a, b) => depthwiseConv2d(a, b, 1, 'same', 'NHWC', 2), [x(), dw()]);
        expectGradCheck(
          (a, b) =>
            depthwiseConv2d(a, b, 1, [
              [0, 0],
              [1, 0],
              [0, 2],
              [0, 0],
            ]),
          [x(), dw()],
        );
      });

      it('conv1d, conv3d, separableConv2d and conv2dTranspose', () => {
        expectGradCheck(
          (a, b) => conv1d(a, b, 2, 'same'),
          [ctx.rand([2, 7, 2], 35), ctx.rand([3, 2, 2], 36)],
        );
        expectGradCheck(
          (a, b) => conv1d(a, b, 1, 'valid', 'NWC', 2),
          [ctx.rand([2, 7, 2], 37), ctx.rand([3, 2, 2], 38)],
        );
        expectGradCheck(
          (a, b) => conv3d(a, b, [1, 2, 1], 'same'),
          [ctx.rand([1, 3, 4, 3, 2], 39), ctx.rand([2, 2, 2, 2, 2], 40)],
        );
        expectGradCheck(
          (a, b) => conv3d(a, b, 1, 'valid', 'NDHWC', [1, 2, 1]),
          [ctx.rand([1, 3, 4, 3, 2], 41), ctx.rand([2, 2, 2, 2, 2], 42)],
        );
        expectGradCheck(
          (a, b, c) => separableConv2d(a, b, c, 1, 'same'),
          [ctx.rand([1, 4, 4, 2], 43), ctx.rand([2, 2, 2, 2], 44), ctx.rand([1, 1, 4, 2], 45)],
        );
        expectGradCheck(
          (a, b) => conv2dTranspose(a, b, [2, 5, 6, 2], 2, 'same'),
          [ctx.rand([2, 3, 3, 3], 46), ctx.rand([3, 3, 2, 3], 47)],
        );
      });

      it('second order: conv2d (strided same, dilated explicit), depthwise, conv2dTranspose', () => {
        expectSecondOrder(
          (a, b) => conv2d(a, b, 2, 'same'),
          [ctx.rand([1, 4, 4, 2], 50), ctx.rand([2, 2, 2, 2], 51)],
        );
        expectSecondOrder(
          (a, b) =>
            conv2d(
              a,
              b,
              1,
              [
                [0, 0],
                [1, 1],
                [0, 1],
                [0, 0],
              ],
              'NHWC',
              2,
            ),
          [ctx.rand([1, 4, 4, 2], 52), ctx.rand([2, 2, 2, 2], 53)],
        );
        expectSecondOrder(
          (a, b) => depthwiseConv2d(a, b, 2, 'same'),
          [ctx.rand([1, 4, 4, 2], 54), ctx.rand([2, 2, 2, 2], 55)],
        );
        expectSecondOrder(
          (a, b) => conv2dTranspose(a, b, [1, 4, 4, 2], 2, 'same'),
          [ctx.rand([1, 2, 2, 2], 56), ctx.rand([2, 2, 2, 2], 57)],
        );
        expectSecondOrder(
          (a, b) => conv3d(a, b, 1, 'same'),
          [ctx.rand([1, 2, 3, 2, 1], 58), ctx.rand([2, 2, 2, 1, 2], 59)],
        );
      });

      it('a nonlinear function of the conv has a correct Hessian-vector product (x·w cross terms)', () => {
        // f = Σ conv(x, w)²: ∂²f/∂x∂w is nonzero, exercising the backprop ops' own gradients
        expectSecondOrder(
          (a, b) => {
            const y = conv2d(a, b, 1, 'same');
            return y.mul(y).sum();
          },
          [ctx.rand([1, 3, 3, 2], 60), ctx.rand([2, 2, 2, 2], 61)],
        );
      });

      it('a training step inside tidy leaves no tensors behind', () => {
        const xt = ctx.rand([2, 5, 5, 2], 62);
        const wt = ctx.rand([3, 3, 2, 3], 63);
        const before = ctx.engine.memory().numTensors;
        ctx.engine.tidy(() => {
          const [gx, gw] = grads((a: Tensor, b: Tensor) => conv2d(a, b, 2, 'same').relu().sum())([
            xt,
            wt,
          ]);
          expect(gx!.shape).toEqual([2, 5, 5, 2]);
          expect(gw!.shape).toEqual([3, 3, 2, 3]);
        });
        expect(ctx.engine.memory().numTensors).toBe(before);
      });
    });
  });
}

function addBatchRef(t: Tensor): Tensor {
  return t.reshape([1, ...t.shape]);
}
