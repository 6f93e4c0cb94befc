/**
 * Checks the float32 exp, log, tanh and sigmoid kernels (assembly/transcendental.ts) on every
 * float32 input against the double-precision reference rounded to float32, and prints the
 * distribution of distances in ulps. Exits with 1 if any input is more than 1 ulp away.
 * Too slow for the test run (about a minute per function; the unit tests sample the same bound):
 * run it after changing those kernels.
 *
 *   pnpm check:ulps [exp|log|tanh|sigmoid ...]      (from packages/backend-wasm)
 */
import { compileSync, instantiateSync, MAX_MEMORY_PAGES } from '../src/module.js';

interface Check {
  op: number;
  reference: (x: number) => number;
  /** Every float32 with |x| in [0, limit] (and NaN, ±∞): beyond, the result is saturated. */
  limit: number;
}

const CHECKS: Record<string, Check> = {
  exp: { op: 0, reference: Math.exp, limit: 110 },
  log: { op: 1, reference: Math.log, limit: 3.4028234663852886e38 },
  tanh: { op: 2, reference: Math.tanh, limit: 12 },
  sigmoid: { op: 3, reference: (x) => 1 / (1 + Math.exp(-x)), limit: 110 },
};

const CHUNK = 1 << 20;
const memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_MEMORY_PAGES });
const kernels = instantiateSync([compileSync('unshared')], memory);
const input = (kernels.heapBase() + 15) & ~15;
const output = input + CHUNK * 4;
const bits = new Uint32Array(memory.buffer);
const floats = new Float32Array(memory.buffer);
const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Position of a float32 on the number line, in ulps (−0 and +0 both 0). */
function ordinal(b: number): number {
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}

function check(name: string, { op, reference, limit }: Check): number {
  scratch[0] = limit;
  const end = scratchBits[0]! + 1;
  const histogram = new Map<number, number>();
  let worst = 0;
  let worstAt = 0;
  const ranges: [number, number][] = [
    [0, end],
    [0x80000000, 0x80000000 + end],
    [0x7f800000, 0x7f800001], // +∞
    [0xff800000, 0xff800001], // −∞
    [0x7fc00000, 0x7fc00001], // NaN
  ];
  for (const [from, to] of ranges) {
    for (let first = from; first < to; first += CHUNK) {
      const n = Math.min(CHUNK, to - first);
      const at = input >> 2;
      for (let i = 0; i < n; i++) bits[at + i] = first + i;
      kernels.unaryMath(op, input, output, n, 0);
      for (let i = 0; i < n; i++) {
        const x = floats[at + i]!;
        const got = bits[(output >> 2) + i]!;
        scratch[0] = reference(x);
        const want = scratchBits[0]!;
        const distance = Number.isNaN(scratch[0])
          ? Number.isNaN(floats[(output >> 2) + i]!)
            ? 0
            : Infinity
          : Math.abs(ordinal(got) - ordinal(want));
        if (distance > 0) histogram.set(distance, (histogram.get(distance) ?? 0) + 1);
        if (distance > worst) {
          worst = distance;
          worstAt = x;
        }
      }
    }
  }
  const total = ranges.reduce((sum, [a, b]) => sum + (b - a), 0);
  const off = [...histogram].sort((a, b) => a[0] - b[0]);
  console.log(
    `${name}: ${total} inputs, ${off.map(([d, c]) => `${c} at ${d} ulp`).join(', ') || 'all exact'}; worst ${worst} ulp${worst ? ` (x = ${worstAt})` : ''}`,
  );
  return worst;
}

const names = process.argv.slice(2);
let worst = 0;
for (const name of names.length ? names : Object.keys(CHECKS)) {
  const c = CHECKS[name];
  if (!c) throw new Error(`unknown function '${name}': one of ${Object.keys(CHECKS).join(', ')}`);
  worst = Math.max(worst, check(name, c));
}
process.exit(worst > 1 ? 1 : 0);
