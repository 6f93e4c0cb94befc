export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
export type {
  Backend,
  BackendMemory,
  DataHandle,
  Kernel,
  KernelArgs,
  OutputSpec,
  TensorInfo,
} from './backend.js';
export type {
  Attrs,
  BackendPlugin,
  GradContext,
  GradFn,
  InputSpec,
  KernelsPlugin,
  OpDef,
  OpsPlugin,
  Plugin,
} from './op.js';
export { Tensor, Variable } from './tensor.js';
export type { BackwardOptions, GradHook, NestedArray } from './tensor.js';
export { Engine, collectTensors } from './engine.js';
export type {
  EngineFlags,
  EngineOptions,
  GradOverride,
  GradientsOptions,
  LeakReporter,
  MemoryInfo,
} from './engine.js';
export { createEngine, engineOf, getDefaultEngine } from './default-engine.js';
export {
  convertToTensor,
  createEye,
  createFill,
  createLinspace,
  createRandomNormal,
  createRandomUniform,
  createRange,
  createTensor,
} from './creation.js';
export type { TensorLike } from './creation.js';
export { Random } from './random.js';
export * from './globals.js';
export {
  assertGradCheck,
  checkpoint,
  customGrad,
  detectAnomaly,
  grad,
  gradCheck,
  gradients,
  grads,
  valueAndGrad,
  valueAndGrads,
  variableGrads,
} from './autodiff.js';
export type {
  CustomGradResult,
  GradCheckInputReport,
  GradCheckOptions,
  GradCheckReport,
  SaveFn,
} from './autodiff.js';
export { AddNOp, IdentityOp, StopGradientOp } from './core-ops.js';
export { inspectTape, type TapeOp, type TapeSource, type TapeView } from './inspect.js';
