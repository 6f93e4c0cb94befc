/**
 * Window geometry of the pooling and depthwise kernels, written into wasm memory as the
 * i32[20] record of assembly/window.ts and assembly/im2col.ts (n, id, ih, iw, c, od, oh, ow,
 * fd, fh, fw, sd, sh, sw, dd, dh, dw, pd, pt, pl; 2-D ops have depth 1: ops-conv's
 * `windowGeometry3D` in `WINDOW_FIELDS` order), with a scratch list for one window's taps.
 */
import type { Shape } from '@tapegrad/core';
import type { WindowAttrs } from '@tapegrad/ops-conv';
import { WINDOW_FIELDS, windowGeometry3D } from '@tapegrad/ops-conv';
import type { KernelCall, WasmBackend } from '../backend.js';
import { SLOT } from './slots.js';

/** The geometry record of sliding a window of `filterSize` over channels-last `xShape`. */
export function windowGeometry(
  op: string,
  xShape: Shape,
  filterSize: readonly number[],
  attrs: WindowAttrs,
): number[] {
  const g = windowGeometry3D(op, xShape, filterSize, attrs);
  return WINDOW_FIELDS.map((field) => g[field]);
}

/** Least window work (output elements × taps) worth a thread of its own (~30 µs). */
const MIN_WORK_PER_PART = 1 << 17;

/** One part of a window kernel split among threads: images [img0, img0 + images). */
export interface WindowPart {
  img0: number;
  /** Pointer of this part's geometry record (n = its images). */
  geo: number;
  /** Pointer of this part's tap list. */
  taps: number;
}

/**
 * Splits a window op by images among the backend's threads: windows of different images
 * never overlap, so the parts write disjoint outputs and every element is computed exactly
 * as on one thread (bit-identical results). Each part gets its own geometry record and tap
 * list; one part when threads are off or the work is small.
 */
function windowParts(
  backend: WasmBackend,
  geo: readonly number[],
  workPerImage: number,
): WindowPart[] {
  const n = geo[0]!;
  const step = Math.max(1, Math.ceil(n / backend.partsFor(n * workPerImage, MIN_WORK_PER_PART)));
  const count = Math.max(1, Math.ceil(n / step));
  const tapBytes = 8 * Math.max(1, geo[8]! * geo[9]! * geo[10]!);
  const parts: WindowPart[] = [];
  for (let i = 0, img0 = 0; i < count; i++, img0 += step) {
    const record = [Math.max(0, Math.min(step, n - img0)), ...geo.slice(1)];
    const ptr = backend.workspace(SLOT.windowGeometry, 4 * record.length, i);
    const taps = backend.workspace(SLOT.windowTaps, tapBytes, i);
    backend.heap.i32.set(record, ptr / 4);
    parts.push({ img0, geo: ptr, taps });
  }
  return parts;
}

/** One part of a window kernel split among threads by channels: [c0, c1) over every image. */
export interface ChannelPart {
  c0: number;
  c1: number;
  /** Pointer of the (whole) geometry record, shared read-only by the parts. */
  geo: number;
  /** Pointer of this part's tap list. */
  taps: number;
}

/**
 * Splits the channels of a window op among the backend's threads, for ops whose results
 * sum over every image (the depthwise filter gradient): each part owns the sums of its
 * channels and adds them in the order of one thread (bit-identical results).
 */
export function channelParts(
  backend: WasmBackend,
  geo: readonly number[],
  work: number,
): ChannelPart[] {
  const c = geo[4]!;
  const step = Math.max(1, Math.ceil(c / backend.partsFor(work, MIN_WORK_PER_PART)));
  const tapBytes = 8 * Math.max(1, geo[8]! * geo[9]! * geo[10]!);
  const record = backend.workspace(SLOT.windowGeometry, 4 * geo.length);
  const parts: ChannelPart[] = [];
  for (let c0 = 0, i = 0; c0 < c; c0 += step, i++) {
    const taps = backend.workspace(SLOT.windowTaps, tapBytes, i);
    parts.push({ c0, c1: Math.min(c, c0 + step), geo: record, taps });
  }
  backend.heap.i32.set(geo, record / 4);
  return parts;
}

/** Elements of one image of the window op's input (`x`) and output (`y`, `channelsOut` per position). */
export function imageSizes(
  geo: readonly number[],
  channelsOut = geo[4]!,
): { x: number; y: number } {
  return {
    x: geo[1]! * geo[2]! * geo[3]! * geo[4]!,
    y: geo[5]! * geo[6]! * geo[7]! * channelsOut,
  };
}

/** Runs one kernel call per part (see windowParts), on the backend's threads. */
export function runWindowParts(
  backend: WasmBackend,
  geo: readonly number[],
  workPerImage: number,
  call: (part: WindowPart) => KernelCall,
): void {
  backend.parallel(windowParts(backend, geo, workPerImage).map(call));
}
