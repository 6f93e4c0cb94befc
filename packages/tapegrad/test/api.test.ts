import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';

// The public contract (../shared/API.md): every name it lists is exported by the umbrella.
const CORE = `tensor scalar zeros ones fill zerosLike onesLike range linspace eye randomNormal randomUniform
  variable tidy keep dispose memory use registerBackend setBackend getBackend ready grad grads
  valueAndGrad valueAndGrads variableGrads gradients customGrad stopGradient noGrad checkpoint
  registerGradient withGradientOverride gradCheck detectAnomaly createEngine`;
const OPS = `add sub mul div pow neg abs exp log sqrt rsqrt square reciprocal sin cos tan asin acos atan atan2
  sinh cosh tanh asinh acosh atanh sigmoid logSigmoid softplus relu relu6 elu selu leakyRelu prelu erf log1p
  expm1 sign floor ceil round step maximum minimum squaredDifference mod clipByValue where equal notEqual
  greater greaterEqual less lessEqual logicalAnd logicalOr logicalNot isNaN cast sum mean max min prod
  logSumExp argMax argMin cumsum matMul dot outerProduct reshape transpose slice stridedSlice concat stack
  unstack split gather pad tile reverse expandDims squeeze broadcastTo oneHot softmax logSoftmax moments
  conv1d conv2d conv3d depthwiseConv2d separableConv2d conv2dTranspose maxPool avgPool`;
const LOSSES =
  'softmaxCrossEntropy sigmoidCrossEntropy meanSquaredError absoluteDifference huberLoss';
const OPTIMIZERS = 'sgd momentum adam adamw rmsprop adagrad adadelta adamax';
const names = (s: string) => s.split(/\s+/).filter(Boolean);

describe('the API contract', () => {
  it.each(names(CORE))('core: %s is exported', (name) => {
    expect(typeof (tg as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(names(OPS))('op: %s is exported', (name) => {
    expect(typeof (tg as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(names(LOSSES))('losses.%s is exported', (name) => {
    expect(typeof (tg.losses as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(names(OPTIMIZERS))(
    'train.%s makes an optimizer with minimize/step/zeroGrad/getWeights',
    (name) => {
      const make = (
        tg.train as unknown as Record<string, (lr: number, second: number) => tg.Optimizer>
      )[name]!;
      const opt = make(0.1, 0.9); // (momentum needs its second argument)
      for (const m of [
        'minimize',
        'applyGradients',
        'step',
        'zeroGrad',
        'getWeights',
        'setWeights',
      ]) {
        expect(typeof (opt as unknown as Record<string, unknown>)[m]).toBe('function');
      }
    },
  );

  it('io and the clipping helpers are exported', () => {
    for (const name of ['save', 'load', 'saveVariables', 'loadVariables']) {
      expect(typeof (tg.io as Record<string, unknown>)[name]).toBe('function');
    }
    expect(typeof tg.clipByNorm).toBe('function');
    expect(typeof tg.clipByGlobalNorm).toBe('function');
  });

  it('tensors have chainable methods for the ops', () => {
    const x = tg.tensor([[1, -2]]);
    const y = x
      .matMul(tg.tensor([[1], [1]]))
      .add(1)
      .relu();
    expect(Array.from(y.dataSync())).toEqual([0]);
    for (const name of ['matMul', 'conv2d', 'maxPool', 'softmax', 'sum', 'transpose', 'gather']) {
      expect(typeof (x as unknown as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
