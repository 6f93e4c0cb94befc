import type { OpDef } from '@tapegrad/core';
import { BroadcastToOp, broadcastTo } from './broadcast-to.js';
import { clone } from './clone.js';
import { ConcatOp, concat, concatMethod } from './concat.js';
import { expandDims } from './expand-dims.js';
import { GatherOp, gather } from './gather.js';
import {
  firstIndexOutOfRange,
  gatherIndexError,
  ndIndexError,
  segmentIdError,
} from './index-errors.js';
import { OneHotOp, oneHot } from './one-hot.js';
import { PadOp, pad } from './pad.js';
import { ReshapeOp, reshape } from './reshape.js';
import { ReverseOp, reverse } from './reverse.js';
import {
  GatherNdOp,
  ScatterNdOp,
  TensorScatterUpdateOp,
  gatherND,
  scatterND,
  tensorScatterUpdate,
} from './scatter-nd.js';
import { SliceOp, slice } from './slice.js';
import { SplitOp, split } from './split.js';
import { squeeze } from './squeeze.js';
import { stack, stackMethod, unstack } from './stack.js';
import { StridedSliceOp, stridedSlice } from './strided-slice.js';
import { TileOp, tile } from './tile.js';
import { TransposeOp, transpose } from './transpose.js';
import { UnsortedSegmentSumOp, unsortedSegmentSum } from './unsorted-segment-sum.js';

export {
  broadcastTo,
  clone,
  concat,
  expandDims,
  firstIndexOutOfRange,
  gather,
  gatherIndexError,
  gatherND,
  ndIndexError,
  oneHot,
  pad,
  reshape,
  reverse,
  scatterND,
  segmentIdError,
  slice,
  split,
  squeeze,
  stack,
  stridedSlice,
  tensorScatterUpdate,
  tile,
  transpose,
  unsortedSegmentSum,
  unstack,
};

export const shapeOps: OpDef[] = [
  ReshapeOp,
  BroadcastToOp,
  TransposeOp,
  SliceOp,
  StridedSliceOp,
  PadOp,
  ConcatOp,
  SplitOp,
  TileOp,
  ReverseOp,
  GatherOp,
  UnsortedSegmentSumOp,
  OneHotOp,
  GatherNdOp,
  ScatterNdOp,
  TensorScatterUpdateOp,
];

/** Chainable methods (tfjs's Tensor methods): the tensor is the first argument. */
export const shapeMethods = {
  reshape,
  broadcastTo,
  transpose,
  slice,
  stridedSlice,
  concat: concatMethod,
  stack: stackMethod,
  unstack,
  split,
  gather,
  pad,
  tile,
  reverse,
  expandDims,
  squeeze,
  oneHot,
  clone,
  unsortedSegmentSum,
};
