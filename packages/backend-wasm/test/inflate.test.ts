import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateRaw } from '../src/inflate.js';
import { kernelBytes } from '../src/module.js';

/** Deterministic bytes: `alphabet` symbols from a linear congruential generator. */
function bytes(n: number, alphabet: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) % alphabet;
  }
  return out;
}

function roundTrip(data: Uint8Array, options: Parameters<typeof deflateRawSync>[1]): void {
  const deflated = deflateRawSync(data, options);
  expect(Array.from(inflateRaw(deflated, data.length))).toEqual(Array.from(data));
}

describe('inflateRaw', () => {
  it('decodes stored, fixed-Huffman and dynamic-Huffman blocks as zlib writes them', () => {
    const text = new TextEncoder().encode('tapegrad '.repeat(500) + 'backend-wasm');
    roundTrip(bytes(70000, 256), { level: 0 }); // two stored blocks (≤ 65535 bytes each)
    roundTrip(text, { strategy: constants.Z_FIXED });
    roundTrip(text, { level: 9 });
    roundTrip(bytes(100000, 7), { level: 9 }); // skewed alphabet: dynamic codes, long matches
    roundTrip(bytes(50000, 256, 5), { level: 1 }); // incompressible
    roundTrip(new Uint8Array(0), {});
    roundTrip(new Uint8Array(300000), { level: 9 }); // runs of 258 at distance 1
  });

  it('rejects truncated input, a wrong length and a reserved block type', () => {
    const data = bytes(5000, 11);
    const deflated = deflateRawSync(data, { level: 9 });
    expect(() => inflateRaw(deflated.subarray(0, deflated.length >> 1), data.length)).toThrow(
      /inflateRaw: unexpected end of input/,
    );
    expect(() => inflateRaw(deflated, data.length - 1)).toThrow(/inflateRaw: output longer/);
    expect(() => inflateRaw(deflated, data.length + 1)).toThrow(/expected 5001/);
    expect(() => inflateRaw(Uint8Array.of(0b111), 1)).toThrow(/block type 3/);
  });

  it('restores the embedded kernel module', () => {
    const module = kernelBytes();
    expect(Array.from(module.subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(WebAssembly.validate(module)).toBe(true);
  });
});
