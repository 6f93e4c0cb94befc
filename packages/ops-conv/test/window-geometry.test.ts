import { describe, expect, it } from 'vitest';
import { WINDOW_FIELDS, isPointwiseWindow, windowGeometry3D } from '../src/index.js';

describe('windowGeometry3D', () => {
  it('2-D: depth 1 and no padding in front; sizes and padding by computeGeometry', () => {
    // 5×7 input, 3×3 window, strides 2×1, 'same': out = ceil(5/2)×ceil(7/1) = 3×7,
    // total padding (3−1)·2+3−5 = 2 → 1 before; (7−1)·1+3−7 = 2 → 1 before.
    const g = windowGeometry3D('conv2d', [2, 5, 7, 4], [3, 3], { strides: [2, 1], pad: 'same' });
    expect(WINDOW_FIELDS.map((f) => g[f])).toEqual([
      2, 1, 5, 7, 4, 1, 3, 7, 1, 3, 3, 1, 2, 1, 1, 1, 1, 0, 1, 1,
    ]);
    expect(isPointwiseWindow(g)).toBe(false);
  });

  it('3-D with dilations and explicit padding', () => {
    const g = windowGeometry3D('conv3d', [1, 4, 6, 6, 2], [2, 3, 3], {
      strides: [1, 2, 2],
      dilations: [2, 1, 1],
      pad: [
        [0, 0],
        [1, 0],
        [0, 2],
        [1, 1],
        [0, 0],
      ],
    });
    // depth: (4+1+0−3)/1+1 = 3 (dilated filter 3); height: (6+0+2−3)/2+1 = 3 (floor);
    // width: (6+1+1−3)/2+1 = 3 (floor).
    expect([g.od, g.oh, g.ow]).toEqual([3, 3, 3]);
    expect([g.pd, g.pt, g.pl]).toEqual([1, 0, 1]);
    expect([g.dd, g.dh, g.dw]).toEqual([2, 1, 1]);
  });

  it('pointwise only for a 1×1×1 window, unit strides, no padding on either side', () => {
    const attrs = { strides: [1, 1], pad: 'valid' as const };
    expect(isPointwiseWindow(windowGeometry3D('conv2d', [1, 3, 3, 2], [1, 1], attrs))).toBe(true);
    const padAfter = windowGeometry3D('conv2d', [1, 3, 3, 2], [1, 1], {
      strides: [1, 1],
      pad: [
        [0, 0],
        [0, 1],
        [0, 0],
        [0, 0],
      ],
    });
    expect(padAfter.oh).toBe(4);
    expect(isPointwiseWindow(padAfter)).toBe(false);
    expect(
      isPointwiseWindow(
        windowGeometry3D('conv2d', [1, 4, 4, 2], [1, 1], { strides: [2, 2], pad: 'valid' }),
      ),
    ).toBe(false);
  });

  it('names the op in errors', () => {
    expect(() =>
      windowGeometry3D('maxPool', [1, 2, 2, 1], [3, 3], { strides: [1, 1], pad: 'valid' }),
    ).toThrow(/maxPool: the output would have spatial size/);
  });
});
