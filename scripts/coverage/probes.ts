/**
 * Tiny inputs per op for the coverage matrix's gradient probes: each probe is a
 * function of float (and fixed integer/bool) tensors that runs the op through its
 * public function. Inputs stay away from kinks and discontinuities so that finite
 * differences are meaningful. Ops without a probe (internal backward ops, casts) are
 * reported "by construction" from their definition instead.
 */
import type { DType, Engine, Tensor } from '@tapegrad/core';
import { createTensor } from '@tapegrad/core';
import * as m from '@tapegrad/ops-math';
import * as c from '@tapegrad/ops-conv';

export type Make = (values: number[], shape?: number[], dtype?: DType) => Tensor;

export interface Probe {
  /** The probe's inputs; integer and bool inputs are held fixed by gradCheck. */
  inputs(t: Make): Tensor[];
  f(...xs: Tensor[]): Tensor;
}

const u = (f: (x: Tensor) => Tensor, values = [-0.7, 0.2, 0.9]): Probe => ({
  inputs: (t) => [t(values, [3])],
  f,
});
const b = (
  f: (a: Tensor, b: Tensor) => Tensor,
  a = [-0.7, 0.2, 0.9, 1.3, -1.1, 0.4],
  bv = [0.5, -1.5, 1.2],
): Probe => ({ inputs: (t) => [t(a, [2, 3]), t(bv, [3])], f });

const seq = (n: number, scale = 0.1, shift = 0.05): number[] =>
  Array.from({ length: n }, (_, i) => ((i * 7) % n) * scale - (n * scale) / 2 + shift);

export function probes(engine: Engine): Record<string, Probe> {
  const run = (op: string, xs: Tensor[], attrs = {}) => engine.run(op, xs, attrs) as Tensor;
  const pos = [0.5, 1.5, 2.2];
  const unit = [-0.5, 0.3, 0.6];
  return {
    // elementwise, unary
    Abs: u(m.abs),
    Acos: u(m.acos, unit),
    Acosh: u(m.acosh, [1.5, 2, 3]),
    Asin: u(m.asin, unit),
    Asinh: u(m.asinh),
    Atan: u(m.atan),
    Atanh: u(m.atanh, unit),
    Ceil: u(m.ceil, [-0.7, 0.2, 1.3]),
    ClipByValue: u((x) => m.clipByValue(x, -0.5, 0.5)),
    Cos: u(m.cos),
    Cosh: u(m.cosh),
    Elu: u((x) => m.elu(x)),
    Erf: u(m.erf),
    Exp: u(m.exp),
    Expm1: u(m.expm1),
    Floor: u(m.floor, [-0.7, 0.2, 1.3]),
    LeakyRelu: u((x) => m.leakyRelu(x, 0.2)),
    Log: u(m.log, pos),
    Log1p: u(m.log1p),
    LogSigmoid: u(m.logSigmoid),
    Neg: u(m.neg),
    Reciprocal: u(m.reciprocal, pos),
    Relu: u(m.relu),
    Relu6: u(m.relu6, [-0.7, 0.2, 5.5]),
    Round: u(m.round, [-0.7, 0.2, 1.3]),
    Rsqrt: u(m.rsqrt, pos),
    Selu: u(m.selu),
    Sigmoid: u(m.sigmoid),
    Sign: u(m.sign),
    Sin: u(m.sin),
    Sinh: u(m.sinh),
    Softplus: u(m.softplus),
    Sqrt: u(m.sqrt, pos),
    Square: u(m.square),
    Step: u((x) => m.step(x)),
    Tan: u(m.tan, unit),
    Tanh: u(m.tanh),
    // elementwise, binary (with broadcasting)
    Add: b(m.add),
    Atan2: b(m.atan2),
    Div: b(m.div),
    DivNoNan: b(m.divNoNan),
    FloorDiv: b(m.floorDiv, [2.3, -1.7, 0.9, 3.1, -2.2, 0.4], [0.7, 0.6, 2.1]),
    Maximum: b(m.maximum),
    Minimum: b(m.minimum),
    Mod: b(m.mod, [2.3, -1.7, 0.9, 3.1, -2.2, 0.4], [0.7, 0.6, 2.1]),
    Mul: b(m.mul),
    Pow: b(m.pow, [0.5, 1.5, 2.2, 0.8, 1.1, 3.0], [1.3, -0.4, 2.0]),
    Prelu: b(m.prelu, undefined, [0.1, 0.2, 0.3]),
    SquaredDifference: b(m.squaredDifference),
    Sub: b(m.sub),
    Where: {
      inputs: (t) => [t([1, 0, 1], [3], 'bool'), t([0.1, -0.4, 0.8], [3]), t([0.5, 0.7, -0.2], [3])],
      f: (cond, a, bb) => m.where(cond!, a!, bb!),
    },
    AddN: {
      inputs: (t) => [t([0.1, -0.4, 0.8], [3]), t([0.5, 0.7, -0.2], [3])],
      f: (a, bb) => run('AddN', [a!, bb!]).mul(a!),
    },
    Identity: u((x) => run('Identity', [x]).mul(x)),
    // reductions and scans
    Sum: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.sum(x, 1).square() },
    Max: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.max(x, 1).square() },
    Min: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.min(x, 1).square() },
    Prod: {
      inputs: (t) => [t([0.5, -1.2, 0.8, 1.1, 0.9, -0.7], [2, 3])],
      f: (x) => m.prod(x, 1),
    },
    Cumsum: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.cumsum(x, 1).square() },
    Cumprod: {
      inputs: (t) => [t([0.5, -1.2, 0.8, 1.1, 0.9, -0.7], [2, 3])],
      f: (x) => m.cumprod(x, 1),
    },
    // linear algebra
    BatchMatMul: {
      inputs: (t) => [t(seq(12), [2, 2, 3]), t(seq(12, 0.07), [2, 3, 2])],
      f: (a, bb) => m.matMul(a!, bb!).square(),
    },
    // shape and indexing
    BroadcastTo: u((x) => m.broadcastTo(x.reshape([1, 3]), [2, 3]).square()),
    Concat: b((a, bb) => m.concat([a, bb.reshape([1, 3])], 0).square()),
    Gather: {
      inputs: (t) => [t(seq(6), [3, 2]), t([2, 0, 2], [3], 'int32')],
      f: (x, i) => m.gather(x!, i!, 0).square(),
    },
    GatherNd: {
      inputs: (t) => [t(seq(6), [2, 3]), t([0, 1, 1, 2], [2, 2], 'int32')],
      f: (x, i) => m.gatherND(x!, i!).square(),
    },
    Pad: { inputs: (t) => [t(seq(4), [2, 2])], f: (x) => m.pad(x, [[1, 0], [0, 1]], 0.5).square() },
    Reshape: u((x) => m.reshape(x, [3, 1]).square()),
    Reverse: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.reverse(x, 1).mul(x) },
    ScatterNd: {
      inputs: (t) => [t([0, 2], [2, 1], 'int32'), t([0.3, -0.6], [2])],
      f: (i, upd) => m.scatterND(i!, upd!, [3]).square(),
    },
    Slice: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.slice(x, [0, 1], [2, 2]).square() },
    Split: {
      inputs: (t) => [t(seq(8), [2, 4])],
      f: (x) => {
        const [p, q] = m.split(x, 2, 1);
        return p!.mul(q!);
      },
    },
    StridedSlice: {
      inputs: (t) => [t(seq(6), [2, 3])],
      f: (x) => m.stridedSlice(x, [0, 0], [2, 3], [1, 2]).square(),
    },
    TensorScatterUpdate: {
      inputs: (t) => [t(seq(4), [4]), t([1, 3], [2, 1], 'int32'), t([0.3, -0.6], [2])],
      f: (x, i, upd) => m.tensorScatterUpdate(x!, i!, upd!).square(),
    },
    Tile: { inputs: (t) => [t(seq(2), [2, 1])], f: (x) => m.tile(x, [1, 3]).square() },
    Transpose: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.transpose(x).square() },
    UnsortedSegmentSum: {
      inputs: (t) => [t(seq(4), [4]), t([0, 1, 0, 2], [4], 'int32')],
      f: (x, ids) => m.unsortedSegmentSum(x!, ids!, 3).square(),
    },
    // activations over an axis
    Softmax: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.softmax(x) },
    LogSoftmax: { inputs: (t) => [t(seq(6), [2, 3])], f: (x) => m.logSoftmax(x) },
    SoftmaxCrossEntropyWithLogits: {
      // soft labels (rows sum to 1), so the probe differentiates both inputs
      inputs: (t) => [t([0.2, 0.3, 0.5, 0.6, 0.1, 0.3], [2, 3]), t(seq(6), [2, 3])],
      f: (labels, logits) => run('SoftmaxCrossEntropyWithLogits', [labels!, logits!]),
    },
    // convolution and pooling
    Conv2D: {
      inputs: (t) => [t(seq(18), [1, 3, 3, 2]), t(seq(16, 0.05), [2, 2, 2, 2])],
      f: (x, w) => c.conv2d(x!, w!, 1, 'valid').square(),
    },
    Conv3D: {
      inputs: (t) => [t(seq(8), [1, 2, 2, 2, 1]), t(seq(16, 0.05), [2, 2, 2, 1, 2])],
      f: (x, w) => c.conv3d(x!, w!, 1, 'valid').square(),
    },
    DepthwiseConv2D: {
      inputs: (t) => [t(seq(18), [1, 3, 3, 2]), t(seq(8, 0.05), [2, 2, 2, 1])],
      f: (x, w) => c.depthwiseConv2d(x!, w!, 1, 'valid').square(),
    },
    MaxPool: {
      inputs: (t) => [t(seq(16), [1, 4, 4, 1])],
      f: (x) => c.maxPool(x, 2, 2, 'valid').square(),
    },
    AvgPool: {
      inputs: (t) => [t(seq(16), [1, 4, 4, 1])],
      f: (x) => c.avgPool(x, 2, 2, 'valid').square(),
    },
    MaxPool3D: {
      inputs: (t) => [t(seq(8), [1, 2, 2, 2, 1])],
      f: (x) => c.maxPool3d(x, 2, 1, 'valid').square(),
    },
    AvgPool3D: {
      inputs: (t) => [t(seq(8), [1, 2, 2, 2, 1])],
      f: (x) => c.avgPool3d(x, 2, 1, 'valid').square(),
    },
  };
}

export function maker(engine: Engine): Make {
  return (values, shape, dtype) => createTensor(engine, values, shape, dtype);
}
