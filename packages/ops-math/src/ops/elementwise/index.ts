import type { OpDef } from '@tapegrad/core';
import { AbsOp, abs } from './abs.js';
import { AcosOp, acos } from './acos.js';
import { AcoshOp, acosh } from './acosh.js';
import { AddOp, add } from './add.js';
import { AsinOp, asin } from './asin.js';
import { AsinhOp, asinh } from './asinh.js';
import { AtanOp, atan } from './atan.js';
import { Atan2Op, atan2 } from './atan2.js';
import { AtanhOp, atanh } from './atanh.js';
import { CastOp, cast } from './cast.js';
import { CeilOp, ceil } from './ceil.js';
import { ClipByValueOp, clipByValue } from './clip-by-value.js';
import { CosOp, cos } from './cos.js';
import { CoshOp, cosh } from './cosh.js';
import { DivOp, div } from './div.js';
import { DivNoNanOp, divNoNan } from './div-no-nan.js';
import { EluOp, elu } from './elu.js';
import { EqualOp, equal } from './equal.js';
import { ErfOp, erf } from './erf.js';
import { ExpOp, exp } from './exp.js';
import { Expm1Op, expm1 } from './expm1.js';
import { FloorOp, floor } from './floor.js';
import { FloorDivOp, floorDiv } from './floor-div.js';
import { GreaterOp, greater } from './greater.js';
import { GreaterEqualOp, greaterEqual } from './greater-equal.js';
import { IsFiniteOp, isFinite } from './is-finite.js';
import { IsInfOp, isInf } from './is-inf.js';
import { IsNaNOp, isNaN } from './is-nan.js';
import { LeakyReluOp, leakyRelu } from './leaky-relu.js';
import { LessOp, less } from './less.js';
import { LessEqualOp, lessEqual } from './less-equal.js';
import { LogOp, log } from './log.js';
import { LogSigmoidOp, logSigmoid } from './log-sigmoid.js';
import { Log1pOp, log1p } from './log1p.js';
import { LogicalAndOp, logicalAnd } from './logical-and.js';
import { LogicalNotOp, logicalNot } from './logical-not.js';
import { LogicalOrOp, logicalOr } from './logical-or.js';
import { LogicalXorOp, logicalXor } from './logical-xor.js';
import { MaximumOp, maximum } from './maximum.js';
import { MinimumOp, minimum } from './minimum.js';
import { ModOp, mod } from './mod.js';
import { MulOp, mul } from './mul.js';
import { NegOp, neg } from './neg.js';
import { NotEqualOp, notEqual } from './not-equal.js';
import { PowOp, pow } from './pow.js';
import { PreluOp, prelu } from './prelu.js';
import { ReciprocalOp, reciprocal } from './reciprocal.js';
import { ReluOp, relu } from './relu.js';
import { ReluGradOp } from './relu-grad.js';
import { SigmoidGradOp } from './sigmoid-grad.js';
import { TanhGradOp } from './tanh-grad.js';
import { Relu6Op, relu6 } from './relu6.js';
import { RoundOp, round } from './round.js';
import { RsqrtOp, rsqrt } from './rsqrt.js';
import { SeluOp, selu } from './selu.js';
import { SigmoidOp, sigmoid } from './sigmoid.js';
import { SignOp, sign } from './sign.js';
import { SinOp, sin } from './sin.js';
import { SinhOp, sinh } from './sinh.js';
import { SoftplusOp, softplus } from './softplus.js';
import { SqrtOp, sqrt } from './sqrt.js';
import { SquareOp, square } from './square.js';
import { SquaredDifferenceOp, squaredDifference } from './squared-difference.js';
import { StepOp, step } from './step.js';
import { SubOp, sub } from './sub.js';
import { TanOp, tan } from './tan.js';
import { TanhOp, tanh } from './tanh.js';
import { WhereOp, where, whereMethod } from './where.js';

export { SELU_ALPHA, SELU_SCALE } from './selu.js';
export {
  add,
  sub,
  mul,
  div,
  cast,
  pow,
  neg,
  abs,
  exp,
  log,
  sqrt,
  rsqrt,
  square,
  reciprocal,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  atan2,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  sigmoid,
  logSigmoid,
  softplus,
  relu,
  relu6,
  elu,
  selu,
  leakyRelu,
  prelu,
  erf,
  log1p,
  expm1,
  sign,
  floor,
  ceil,
  round,
  step,
  maximum,
  minimum,
  squaredDifference,
  mod,
  floorDiv,
  clipByValue,
  where,
  equal,
  notEqual,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  logicalNot,
  logicalXor,
  isNaN,
  isInf,
  isFinite,
  divNoNan,
};

/** Every elementwise op definition (primitives with kernels, and composites). */
export const elementwiseOps: OpDef[] = [
  AddOp,
  SubOp,
  MulOp,
  DivOp,
  CastOp,
  PowOp,
  NegOp,
  AbsOp,
  ExpOp,
  LogOp,
  SqrtOp,
  RsqrtOp,
  SquareOp,
  ReciprocalOp,
  SinOp,
  CosOp,
  TanOp,
  AsinOp,
  AcosOp,
  AtanOp,
  Atan2Op,
  SinhOp,
  CoshOp,
  TanhOp,
  AsinhOp,
  AcoshOp,
  AtanhOp,
  SigmoidOp,
  LogSigmoidOp,
  SoftplusOp,
  ReluOp,
  ReluGradOp,
  TanhGradOp,
  SigmoidGradOp,
  Relu6Op,
  EluOp,
  SeluOp,
  LeakyReluOp,
  PreluOp,
  ErfOp,
  Log1pOp,
  Expm1Op,
  SignOp,
  FloorOp,
  CeilOp,
  RoundOp,
  StepOp,
  MaximumOp,
  MinimumOp,
  SquaredDifferenceOp,
  ModOp,
  FloorDivOp,
  ClipByValueOp,
  WhereOp,
  EqualOp,
  NotEqualOp,
  GreaterOp,
  GreaterEqualOp,
  LessOp,
  LessEqualOp,
  LogicalAndOp,
  LogicalOrOp,
  LogicalNotOp,
  LogicalXorOp,
  IsNaNOp,
  IsInfOp,
  IsFiniteOp,
  DivNoNanOp,
];

/** Functions installed as chainable Tensor methods (the tensor is the first argument). */
export const elementwiseMethods = {
  add,
  sub,
  mul,
  div,
  cast,
  pow,
  neg,
  abs,
  exp,
  log,
  sqrt,
  rsqrt,
  square,
  reciprocal,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  atan2,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  sigmoid,
  logSigmoid,
  softplus,
  relu,
  relu6,
  elu,
  selu,
  leakyRelu,
  prelu,
  erf,
  log1p,
  expm1,
  sign,
  floor,
  ceil,
  round,
  step,
  maximum,
  minimum,
  squaredDifference,
  mod,
  floorDiv,
  clipByValue,
  // tfjs: a.where(condition, b) is where(condition, a, b).
  where: whereMethod,
  equal,
  notEqual,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  logicalNot,
  logicalXor,
  isNaN,
  isInf,
  isFinite,
  divNoNan,
};
