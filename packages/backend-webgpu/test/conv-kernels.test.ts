import type { DType, Engine, Tensor } from '@tapegrad/core';
import { createEngine, createTensor, grads } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import type { PadSpec } from '@tapegrad/ops-conv';
import { conv, conv2d, conv3d, depthwiseConv2d, maxPool3d } from '@tapegrad/ops-conv';
import { math, sum, tanh } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { webgpuKernels } from '../src/index.js';
import { CONV_FAMILY_OPS, wgslConvEngine } from './conv-strict-env.js';
import { withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-1, 1), or integers in [-levels, levels] when `levels`. */
function values(n: number, seed: number, levels = 0): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    const u = s / 2 ** 31 - 1;
    return levels ? Math.round(u * levels) : u;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs `op` with inputs made from the same values on the webgpu engine and on a CPU engine. */
function bothWays(
  g: Engine,
  c: Engine,
  op: string,
  inputs: { shape: number[]; seed: number; levels?: number; dtype?: DType }[],
  attrs: Record<string, unknown>,
): [Tensor, Tensor] {
  const run = (e: Engine) =>
    e.run(
      op,
      inputs.map((i) => createTensor(e, values(size(i.shape), i.seed, i.levels), i.shape, i.dtype)),
      attrs,
    ) as Tensor;
  return [run(g), run(c)];
}

/** Equal within float32 tolerance (sums of up to ~100 products of values in [-1, 1]); NaN matches NaN. */
function expectAgree(gpu: Tensor, cpuT: Tensor, what: string): void {
  expect([...gpu.shape], what).toEqual([...cpuT.shape]);
  expect(gpu.dtype, what).toBe(cpuT.dtype);
  const a = gpu.dataSync();
  const b = cpuT.dataSync();
  for (let i = 0; i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x) : Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(y);
    expect(ok, `${what}: element ${i} is ${x} on webgpu, ${y} on cpu`).toBe(true);
  }
}

interface ConvCase {
  name: string;
  x: number[];
  f: number[];
  strides: number[];
  pad: PadSpec;
  dilations: number[];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

// Odd sizes, unequal strides, dilations, every padding form; 2-D and 3-D.
const CONV_CASES: ConvCase[] = [
  {
    name: 'valid',
    x: [2, 7, 6, 3],
    f: [3, 2, 3, 5],
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
  },
  {
    name: 'same, strides [2,3]',
    x: [2, 7, 6, 3],
    f: [3, 2, 3, 5],
    strides: [2, 3],
    pad: 'same',
    dilations: [1, 1],
  },
  {
    name: 'same, dilations [2,3]',
    x: [1, 7, 9, 2],
    f: [3, 2, 2, 3],
    strides: [1, 1],
    pad: 'same',
    dilations: [2, 3],
  },
  {
    name: 'explicit, strides 2',
    x: [2, 5, 7, 3],
    f: [2, 3, 3, 4],
    strides: [2, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
    dilations: [1, 1],
  },
  {
    name: 'pad 1, strides 2, ceil',
    x: [1, 6, 5, 2],
    f: [3, 3, 2, 3],
    strides: [2, 2],
    pad: 1,
    dilations: [1, 1],
    dimRoundingMode: 'ceil',
  },
  {
    name: '1×1 pointwise',
    x: [2, 3, 5, 7],
    f: [1, 1, 7, 3],
    strides: [1, 1],
    pad: 'valid',
    dilations: [1, 1],
  },
  {
    name: 'many positions (split-K filter gradient)',
    x: [4, 20, 19, 2],
    f: [3, 3, 2, 3],
    strides: [1, 1],
    pad: 'same',
    dilations: [1, 1],
  },
  {
    name: '3-D same, strides [2,1,2]',
    x: [1, 5, 4, 6, 2],
    f: [2, 3, 2, 2, 3],
    strides: [2, 1, 2],
    pad: 'same',
    dilations: [1, 1, 1],
  },
  {
    name: '3-D valid, dilations [2,1,1]',
    x: [2, 5, 4, 3, 2],
    f: [2, 2, 2, 2, 2],
    strides: [1, 1, 1],
    pad: 'valid',
    dilations: [2, 1, 1],
  },
  {
    name: '3-D explicit',
    x: [1, 3, 4, 5, 3],
    f: [2, 2, 3, 3, 2],
    strides: [1, 2, 1],
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [1, 1],
      [0, 0],
    ],
    dilations: [1, 1, 1],
  },
];

interface PoolCase {
  name: string;
  x: number[];
  filterSize: number[];
  strides: number[];
  pad: PadSpec;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const POOL_CASES: PoolCase[] = [
  {
    name: 'valid, overlapping',
    x: [2, 7, 6, 3],
    filterSize: [3, 2],
    strides: [2, 1],
    pad: 'valid',
  },
  { name: 'same, strides 2', x: [1, 7, 5, 2], filterSize: [3, 3], strides: [2, 2], pad: 'same' },
  {
    name: 'explicit',
    x: [2, 5, 6, 2],
    filterSize: [2, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    name: 'pad 2, ceil (windows of padding only)',
    x: [1, 4, 5, 2],
    filterSize: [2, 2],
    strides: [3, 3],
    pad: 2,
    dimRoundingMode: 'ceil',
  },
  { name: '3-D same', x: [1, 5, 4, 6, 2], filterSize: [2, 3, 2], strides: [2, 1, 2], pad: 'same' },
  {
    name: '3-D valid',
    x: [2, 4, 3, 5, 3],
    filterSize: [2, 2, 3],
    strides: [1, 1, 2],
    pad: 'valid',
  },
];

function convAttrs(c: ConvCase): Record<string, unknown> {
  const a: Record<string, unknown> = { strides: c.strides, pad: c.pad, dilations: c.dilations };
  if (c.dimRoundingMode) a.dimRoundingMode = c.dimRoundingMode;
  return a;
}

function poolAttrs(c: PoolCase): Record<string, unknown> {
  const a: Record<string, unknown> = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
  if (c.dimRoundingMode) a.dimRoundingMode = c.dimRoundingMode;
  return a;
}

await withWebGPU('webgpu conv-family kernels', () => {
  describe('webgpu: WGSL kernels of the conv family', () => {
    it('has a WGSL kernel for every conv, depthwise and pooling op', () => {
      const missing = CONV_FAMILY_OPS.filter((op) => typeof webgpuKernels[op] !== 'function');
      expect(missing).toEqual([]);
    });

    describe('agree with the CPU backend (host kernels of these ops disabled)', () => {
      const cpuEngine = () => createEngine({ ops: [math, conv], backends: [cpu()] });

      for (const c of CONV_CASES) {
        const r = c.x.length - 2;
        const family = r === 3 ? 'Conv3D' : 'Conv2D';
        it(`${family}, its backprops and the depthwise ops: ${c.name}`, async () => {
          const g = await wgslConvEngine();
          const e = cpuEngine();
          const attrs = convAttrs(c);
          const [y, yc] = bothWays(
            g,
            e,
            family,
            [
              { shape: c.x, seed: 1 },
              { shape: c.f, seed: 2 },
            ],
            attrs,
          );
          expectAgree(y, yc, family);
          const yShape = [...yc.shape];
          const [dx, dxc] = bothWays(
            g,
            e,
            `${family}BackpropInput`,
            [
              { shape: yShape, seed: 3 },
              { shape: c.f, seed: 2 },
            ],
            { ...attrs, inputShape: c.x },
          );
          expectAgree(dx, dxc, `${family}BackpropInput`);
          const [df, dfc] = bothWays(
            g,
            e,
            `${family}BackpropFilter`,
            [
              { shape: c.x, seed: 1 },
              { shape: yShape, seed: 3 },
            ],
            { ...attrs, filterShape: c.f },
          );
          expectAgree(df, dfc, `${family}BackpropFilter`);
          if (r === 3) return;
          // Depthwise with the same geometry: filter [fh, fw, c, multiplier 2].
          const fd = [c.f[0]!, c.f[1]!, c.x[3]!, 2];
          const [z, zc] = bothWays(
            g,
            e,
            'DepthwiseConv2D',
            [
              { shape: c.x, seed: 4 },
              { shape: fd, seed: 5 },
            ],
            attrs,
          );
          expectAgree(z, zc, 'DepthwiseConv2D');
          const zShape = [...zc.shape];
          const [ddx, ddxc] = bothWays(
            g,
            e,
            'DepthwiseConv2DBackpropInput',
            [
              { shape: zShape, seed: 6 },
              { shape: fd, seed: 5 },
            ],
            { ...attrs, inputShape: c.x },
          );
          expectAgree(ddx, ddxc, 'DepthwiseConv2DBackpropInput');
          const [ddf, ddfc] = bothWays(
            g,
            e,
            'DepthwiseConv2DBackpropFilter',
            [
              { shape: c.x, seed: 4 },
              { shape: zShape, seed: 6 },
            ],
            { ...attrs, filterShape: fd },
          );
          expectAgree(ddf, ddfc, 'DepthwiseConv2DBackpropFilter');
        });
      }

      for (const c of POOL_CASES) {
        const suffix = c.x.length === 5 ? '3D' : '';
        it(`MaxPool${suffix}, AvgPool${suffix} and their gradients (ties): ${c.name}`, async () => {
          const g = await wgslConvEngine();
          const e = cpuEngine();
          const attrs = poolAttrs(c);
          // Integer values in [-2, 2]: most windows have tied maxima.
          const x = { shape: c.x, seed: 7, levels: 2 };
          const [m, mc] = bothWays(g, e, `MaxPool${suffix}`, [x], attrs);
          expectAgree(m, mc, `MaxPool${suffix}`);
          const yShape = [...mc.shape];
          const dy = { shape: yShape, seed: 8 };
          const [mg, mgc] = bothWays(g, e, `MaxPool${suffix}Grad`, [x, dy], attrs);
          expectAgree(mg, mgc, `MaxPool${suffix}Grad`);
          const [mgg, mggc] = bothWays(
            g,
            e,
            `MaxPool${suffix}GradGrad`,
            [x, { shape: c.x, seed: 9 }],
            attrs,
          );
          expectAgree(mgg, mggc, `MaxPool${suffix}GradGrad`);
          const [a, ac] = bothWays(g, e, `AvgPool${suffix}`, [{ shape: c.x, seed: 10 }], attrs);
          expectAgree(a, ac, `AvgPool${suffix}`);
          const [ag, agc] = bothWays(g, e, `AvgPool${suffix}Grad`, [dy], {
            ...attrs,
            inputShape: c.x,
          });
          expectAgree(ag, agc, `AvgPool${suffix}Grad`);
          // int32 max pooling
          const [mi, mic] = bothWays(
            g,
            e,
            `MaxPool${suffix}`,
            [{ ...x, levels: 50, dtype: 'int32' }],
            attrs,
          );
          expect(mi.dtype).toBe('int32');
          expectAgree(mi, mic, `MaxPool${suffix} int32`);
        });
      }

      it('max pooling treats NaN as the CPU kernels do (a NaN first in its window stays; later ones never win)', async () => {
        const g = await wgslConvEngine();
        const e = cpuEngine();
        const xs = [NaN, 1, 2, 3, 4, NaN, 0, -1, 5];
        const attrs = { filterSize: [2, 2], strides: [1, 1], pad: 'same' };
        const run = (en: Engine, op: string, extra: Tensor[] = []) =>
          en.run(op, [createTensor(en, xs, [1, 3, 3, 1]), ...extra], attrs) as Tensor;
        expectAgree(run(g, 'MaxPool'), run(e, 'MaxPool'), 'MaxPool');
        const dy = (en: Engine) => createTensor(en, [1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
        expectAgree(run(g, 'MaxPoolGrad', [dy(g)]), run(e, 'MaxPoolGrad', [dy(e)]), 'MaxPoolGrad');
      });

      it('channels-first layouts through the public functions, with gradients', async () => {
        const g = await wgslConvEngine();
        const e = cpuEngine();
        const pad: PadSpec = [
          [0, 0],
          [0, 0],
          [1, 2],
          [0, 1],
        ];
        const compute = (en: Engine) => {
          const x = createTensor(en, values(2 * 3 * 5 * 6, 11), [2, 3, 5, 6]);
          const f = createTensor(en, values(3 * 2 * 3 * 4, 12), [3, 2, 3, 4]);
          const fd = createTensor(en, values(2 * 2 * 3 * 2, 13), [2, 2, 3, 2]);
          const x3 = createTensor(en, values(2 * 4 * 3 * 5, 14), [1, 2, 4, 3, 5]);
          const f3 = createTensor(en, values(2 * 2 * 2 * 2 * 3, 15), [2, 2, 2, 2, 3]);
          const loss = (...ts: Tensor[]) =>
            sum(tanh(conv2d(ts[0]!, ts[1]!, [2, 1], pad, 'NCHW'))).add(
              sum(depthwiseConv2d(ts[0]!, ts[2]!, 1, 'same', 'NCHW', [2, 1])).add(
                sum(
                  maxPool3d(
                    conv3d(ts[3]!, ts[4]!, 1, 'same', 'NCDHW'),
                    2,
                    1,
                    'same',
                    undefined,
                    'NCDHW',
                  ),
                ),
              ),
            );
          return [loss(x, f, fd, x3, f3), ...grads(loss)([x, f, fd, x3, f3])];
        };
        const got = compute(g);
        const want = compute(e);
        got.forEach((t, i) => expectAgree(t, want[i]!, `output ${i}`));
      });

      it('new shapes, strides, dilations and paddings reuse the pipelines (2-D and 3-D share them)', async () => {
        const g = await wgslConvEngine();
        const backend = g.findBackend('webgpu') as WebGPUBackend;
        const run = (c: ConvCase, seed: number) => {
          const x = createTensor(g, values(size(c.x), seed), c.x);
          const f = createTensor(g, values(size(c.f), seed + 1), c.f);
          const family = c.x.length === 5 ? 'Conv3D' : 'Conv2D';
          (g.run(family, [x, f], convAttrs(c)) as Tensor).dataSync();
          (
            g.run(
              family === 'Conv3D' ? 'MaxPool3D' : 'MaxPool',
              [x],
              poolAttrs(POOL_CASES[c.x.length === 5 ? 4 : 1]!),
            ) as Tensor
          ).dataSync();
        };
        // 65 to 128 output positions, 33 to 64 channels: the same (128×64) GEMM tiles every time.
        const conv = (
          name: string,
          x: number[],
          f: number[],
          rest: Partial<ConvCase>,
        ): ConvCase => ({
          name,
          x,
          f,
          strides: x.length === 5 ? [1, 1, 1] : [1, 1],
          dilations: x.length === 5 ? [1, 1, 1] : [1, 1],
          pad: 'valid',
          ...rest,
        });
        run(conv('first', [2, 9, 8, 3], [3, 3, 3, 40], {}), 20);
        const pipelines = backend.stats().pipelines;
        run(
          conv('same, strides', [1, 21, 9, 2], [2, 3, 2, 36], { pad: 'same', strides: [2, 1] }),
          21,
        );
        run(
          conv('explicit, dilated', [2, 8, 8, 3], [3, 2, 3, 48], {
            pad: [
              [0, 0],
              [1, 2],
              [0, 1],
              [0, 0],
            ],
            dilations: [2, 1],
          }),
          22,
        );
        run(conv('3-D', [1, 3, 5, 7, 2], [2, 2, 2, 2, 40], { pad: 'same' }), 23);
        expect(backend.stats().pipelines).toBe(pipelines);
      });

      it('runs on the GPU: a conv + pool step is dispatches only, no host kernel', async () => {
        const g = await wgslConvEngine();
        const backend = g.findBackend('webgpu') as WebGPUBackend;
        const x = createTensor(g, values(2 * 6 * 6 * 2, 16), [2, 6, 6, 2]);
        const f = createTensor(g, values(3 * 3 * 2 * 4, 17), [3, 3, 2, 4]);
        const before = backend.dispatchCount;
        g.run(
          'MaxPool',
          [g.run('Conv2D', [x, f], { strides: [1, 1], pad: 'same', dilations: [1, 1] }) as Tensor],
          {
            filterSize: [2, 2],
            strides: [2, 2],
            pad: 'valid',
          },
        );
        expect(backend.dispatchCount - before).toBe(2);
      });
    });
  });
});
