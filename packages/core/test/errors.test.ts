import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';

describe('error classes', () => {
  it('every exported error class names itself (not its parent, not a minified class name)', () => {
    const classes = Object.entries(core).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    ) as [string, new (message: string) => Error][];
    expect(classes.map(([name]) => name)).toContain('ShapeError');
    for (const [exportName, ErrorClass] of classes) {
      const error = new ErrorClass('message');
      expect(error.name).toBe(exportName);
      expect(String(error)).toBe(`${exportName}: message`);
      expect(error).toBeInstanceOf(core.TapegradError);
    }
  });
});
