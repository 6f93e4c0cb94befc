#!/usr/bin/env node
/**
 * GEMM micro-kernel variants, each compiled alone with the package's asc flags and timed on
 * L1-resident panels (C[MR×8] += Apanel·Bpanel over kc = 256), to see what V8 makes of a
 * register tile on this CPU. Prints GFLOP/s (best of 30) and, from V8's disassembly
 * (`--print-wasm-code`), the x64 instructions, multiplies and stack accesses (spills) of the
 * k loop. The relaxed-SIMD variants run only where the host validates them (Node 20:
 * `node --experimental-wasm-relaxed-simd scripts/gemm-micro-bench.mjs`).
 *
 *   node scripts/gemm-micro-bench.mjs [variant ...]      (time under `flock -x /tmp/cpu.lock`)
 *
 * Variants: `splat{MR}x8` (broadcast loads of packed A: `splat5x8` is assembly/gemm.ts's
 * kernel), `bcast5x8` (A packed four times over, so its broadcasts are plain vector loads: 3
 * fewer instructions, but 4× the packed A; slower in the whole GEMM), `madd{MR}x8` (broadcast
 * loads and `f32x4.relaxed_madd`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASC_FLAGS } from './build-wasm.mjs';

const KC = 256;

/**
 * AssemblyScript source of one MR×8 kernel, shaped like assembly/gemm.ts's `micro` (its
 * epilogue included: V8 orders the loop's instructions by how the accumulators are used
 * after it); `a` is 'splat' (broadcast loads with offsets) or 'bcast' (A packed ×4).
 */
function source(mr, a, madd) {
  const rows = [...Array(mr).keys()];
  const stepA = a === 'bcast' ? 16 : 4;
  const acc = rows.flatMap((i) => [`c${i}0`, `c${i}1`]);
  const fma = (c, av, b) =>
    madd
      ? `${c} = f32x4.relaxed_madd(${av}, ${b}, ${c});`
      : `${c} = f32x4.add(${c}, f32x4.mul(${av}, ${b}));`;
  return `export function kernel(kc: i32, aBase: usize, aOff: usize, bBase: usize, bOff: usize, c: usize, ldc: i32, acc: bool): void {
  let pa = aBase + aOff;
  let pb = bBase + bOff;
  const end = pb + ((<usize>kc) << 5);
  ${acc.map((x) => `let ${x} = f32x4.splat(0);`).join('\n  ')}
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    ${rows
      .map((i) => {
        const load = a === 'bcast' ? `v128.load(pa, ${i * 16})` : `v128.load32_splat(pa, ${i * 4})`;
        return `{ const av = ${load}; ${fma(`c${i}0`, 'av', 'b0')} ${fma(`c${i}1`, 'av', 'b1')} }`;
      })
      .join('\n    ')}
    pa += ${mr * stepA};
    pb += 32;
  }
  const rs = (<usize>ldc) << 2;
  let q = c;
  if (acc) {
    ${rows
      .map(
        (i) =>
          `v128.store(q, f32x4.add(v128.load(q), c${i}0)); v128.store(q, f32x4.add(v128.load(q, 16), c${i}1), 16); q += rs;`,
      )
      .join('\n    ')}
  } else {
    ${rows.map((i) => `v128.store(q, c${i}0); v128.store(q, c${i}1, 16); q += rs;`).join('\n    ')}
  }
}
`;
}

const VARIANTS = {
  splat4x8: [4, 'splat', false],
  splat5x8: [5, 'splat', false],
  splat6x8: [6, 'splat', false],
  bcast5x8: [5, 'bcast', false],
  madd5x8: [5, 'splat', true],
  madd6x8: [6, 'splat', true],
};

/** Times `kernel` of the module at `file` in this process. */
function time(file, mr) {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const { kernel } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {
    env: { memory },
  }).exports;
  new Float32Array(memory.buffer).fill(0.001);
  const flops = 2 * mr * 8 * KC;
  const reps = 10000;
  for (let r = 0; r < 2 * reps; r++) kernel(KC, 4096, 0, 65536, 0, 200000, 64, 1);
  let best = 0;
  for (let t = 0; t < 30; t++) {
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < reps; r++) kernel(KC, 4096, 0, 65536, 0, 200000, 64, 1);
    best = Math.max(best, (flops * reps) / Number(process.hrtime.bigint() - t0));
  }
  return best;
}

/** Instructions, multiplies and stack accesses of the hottest loop in V8's TurboFan code. */
function loopStats(file, flags) {
  const out = execFileSync(
    process.execPath,
    [
      ...flags,
      '--no-liftoff',
      '--print-wasm-code',
      fileURLToPath(import.meta.url),
      '--time-only',
      file,
      '1',
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const ins = [...out.matchAll(/^0x[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+(.*)$/gm)].map((m) => ({
    off: parseInt(m[1], 16),
    txt: m[2].trim(),
  }));
  let best = null;
  for (const x of ins) {
    const m = x.txt.match(/^j\w+ 0x[0-9a-f]+\s+<\+0x([0-9a-f]+)>/);
    if (!m || parseInt(m[1], 16) >= x.off) continue;
    const body = ins.filter(
      (y) => y.off >= parseInt(m[1], 16) && y.off <= x.off && y.txt !== 'nop',
    );
    const muls = body.filter((y) => /vmulps|vfmadd/.test(y.txt)).length;
    if (!best || muls > best.muls) best = { muls, body };
  }
  const spills = best.body.filter((y) => /\[rbp[-+]/.test(y.txt)).length;
  return `${best.body.length} instructions, ${best.muls} mul/fma, ${spills} stack accesses`;
}

if (process.argv[2] === '--time-only') {
  console.log(time(process.argv[3], Number(process.argv[4])).toFixed(1));
} else {
  const v8Flags = process.execArgv.filter((f) => f.startsWith('--experimental-wasm'));
  const dir = mkdtempSync(join(tmpdir(), 'gemm-micro-'));
  const asc = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.bin', 'asc');
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(VARIANTS)) {
    const variant = VARIANTS[name];
    if (!variant)
      throw new Error(
        `unknown variant '${name}': expected one of ${Object.keys(VARIANTS).join(', ')}`,
      );
    const [mr, a, madd] = variant;
    const src = join(dir, `${name}.ts`);
    const wasm = join(dir, `${name}.wasm`);
    writeFileSync(src, source(mr, a, madd));
    const flags = madd ? ASC_FLAGS.concat(['--enable', 'relaxed-simd']) : ASC_FLAGS;
    execFileSync(asc, [src, ...flags, '--outFile', wasm], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!WebAssembly.validate(readFileSync(wasm))) {
      console.log(
        `${name}: not supported here (relaxed SIMD: node --experimental-wasm-relaxed-simd)`,
      );
      continue;
    }
    const gflops = time(wasm, mr);
    console.log(`${name}: ${gflops.toFixed(1)} GFLOP/s, k loop: ${loopStats(wasm, v8Flags)}`);
  }
}
