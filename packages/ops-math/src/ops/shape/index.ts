import type { OpDef } from '@tapegrad/core';
import { BroadcastToOp, broadcastTo } from './broadcast-to.js';
import { ReshapeOp, reshape } from './reshape.js';

export { broadcastTo, reshape };

export const shapeOps: OpDef[] = [ReshapeOp, BroadcastToOp];

export const shapeMethods = { reshape, broadcastTo };
