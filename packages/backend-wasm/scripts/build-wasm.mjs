#!/usr/bin/env node
/**
 * Compiles the AssemblyScript kernels (assembly/*.ts) to WebAssembly and writes the
 * bytes, deflated and base64-encoded, into src/generated/kernels-wasm.ts, so the modules
 * ships inside the JS bundle: Node and every bundler load it without path configuration
 * (src/module.ts inflates it synchronously with fflate). Base64 of the plain module gzips ~30% worse
 * than the module (its 3-byte groups hide repeats from gzip); base64 of the deflated bytes
 * gzips to about their own size.
 *
 * Two modules: the kernels (assembly/index.ts, plain SIMD) and a GEMM-only one built from
 * the same gemm.ts with relaxed SIMD (assembly/relaxed-gemm.ts: its micro-kernel uses fused
 * multiply-adds), which src/module.ts instantiates over the same memory where the host
 * validates it. That module must not write to the memory on instantiation or reserve any of
 * it: the build fails if it has data segments (the TypeScript side owns the layout above
 * the main module's static data; the GEMM takes all its scratch memory as arguments).
 *
 * Incremental: the generated file records a hash of the sources, the flags and the
 * compiler version, and is rewritten only when that hash changes. `build`, `test`,
 * `typecheck` and `lint` all run this first (CI's `turbo run test` does not run this
 * package's own build).
 *
 *   node scripts/build-wasm.mjs [--force]
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { deflateRawSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assemblyDir = join(root, 'assembly');
const outFile = join(root, 'src', 'generated', 'kernels-wasm.ts');

/**
 * Compiler flags: optimized, plain 128-bit SIMD (no relaxed SIMD: Node 20 needs a flag), no
 * GC runtime, a shared memory (up to 4 GiB) imported from the host. src/module.ts rewrites
 * the import to a plain memory where shared memory is unavailable, and drops the data
 * segments for worker instances (the first instance wrote them), so one module serves all.
 */
export const ASC_FLAGS = Object.freeze([
  '-O3',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--runtime',
  'stub',
  '--importMemory',
  '--sharedMemory',
  '--maximumMemory',
  '65536',
  '--noAssert',
  '--use',
  'abort=',
]);

/** Extra flags of the GEMM-only relaxed-SIMD module. */
export const RELAXED_FLAGS = Object.freeze(['--enable', 'relaxed-simd']);

const require = createRequire(import.meta.url);
const ascVersion = JSON.parse(
  readFileSync(require.resolve('assemblyscript/package.json'), 'utf8'),
).version;

/** How the bytes are embedded: part of the hash, so a change of it rewrites the file. */
const EMBEDDING = 'deflate-raw level 9, base64';

export function sourceHash() {
  const hash = createHash('sha256');
  hash.update(
    `asc ${ascVersion}\n${ASC_FLAGS.join(' ')}\n${RELAXED_FLAGS.join(' ')}\n${EMBEDDING}\n`,
  );
  for (const name of readdirSync(assemblyDir).sort()) {
    if (!name.endsWith('.ts')) continue;
    hash.update(`${name}\n`);
    hash.update(readFileSync(join(assemblyDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function compile(entry, flags) {
  const { default: asc } = await import('assemblyscript/asc');
  let wasm = null;
  const { error, stderr } = await asc.main(
    [join(assemblyDir, entry), ...flags, '--outFile', 'kernels.wasm'],
    {
      writeFile(name, contents) {
        if (name.endsWith('.wasm')) wasm = contents;
      },
    },
  );
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`asc failed: ${error.message}`);
  }
  if (!wasm) throw new Error(`asc produced no .wasm output for ${entry}`);
  return wasm;
}

/** Ids of the sections of a module (a byte, then the section's size as LEB128). */
function sectionIds(wasm) {
  const ids = [];
  for (let at = 8; at < wasm.length;) {
    ids.push(wasm[at]);
    let size = 0;
    let shift = 0;
    let byte;
    at++;
    do {
      byte = wasm[at++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    at += size;
  }
  return ids;
}

/** Section ids of data segments (11) and their count (12). */
const DATA_SECTIONS = [11, 12];

/** Deflated, base64-encoded bytes and sizes of one module. */
function embed(wasm) {
  const deflated = deflateRawSync(wasm, { level: 9 });
  return { bytes: wasm.length, deflated: deflated.length, base64: deflated.toString('base64') };
}

export async function buildWasm({ force = false } = {}) {
  const hash = sourceHash();
  if (!force && existsSync(outFile) && readFileSync(outFile, 'utf8').includes(`'${hash}'`)) {
    return { hash, rebuilt: false };
  }
  const main = embed(await compile('index.ts', ASC_FLAGS));
  const relaxedWasm = await compile('relaxed-gemm.ts', [...ASC_FLAGS, ...RELAXED_FLAGS]);
  if (sectionIds(relaxedWasm).some((id) => DATA_SECTIONS.includes(id))) {
    throw new Error(
      'assembly/relaxed-gemm.ts compiled to a module with data segments: its instantiation would overwrite the memory the main module laid out (the GEMM must keep no static data)',
    );
  }
  const relaxed = embed(relaxedWasm);
  mkdirSync(dirname(outFile), { recursive: true });
  // turbo runs build, test, typecheck and lint of this package at once: write a temporary
  // file and rename it (atomic), so no run ever reads a half-written module.
  const tmpFile = `${outFile}.${process.pid}.tmp`;
  writeFileSync(
    tmpFile,
    [
      '// Generated by scripts/build-wasm.mjs from assembly/*.ts: do not edit, do not commit.',
      `// asc ${ascVersion} ${ASC_FLAGS.join(' ')}; ${main.bytes} bytes of WebAssembly,`,
      `// ${main.deflated} deflated (${EMBEDDING}); the relaxed GEMM (${RELAXED_FLAGS.join(' ')}):`,
      `// ${relaxed.bytes} bytes, ${relaxed.deflated} deflated.`,
      '',
      '/** Hash of the kernel sources, flags and compiler this module was built from. */',
      `export const KERNELS_HASH = '${hash}';`,
      '',
      '/** Size of the kernel module in bytes. */',
      `export const KERNELS_WASM_BYTES = ${main.bytes};`,
      '',
      '/** The kernel module, raw-deflated (RFC 1951) and base64-encoded. */',
      'export const KERNELS_WASM_DEFLATED_BASE64 =',
      `  '${main.base64}';`,
      '',
      '/** Size of the GEMM-only relaxed-SIMD module in bytes. */',
      `export const RELAXED_GEMM_WASM_BYTES = ${relaxed.bytes};`,
      '',
      '/** The GEMM-only relaxed-SIMD module, raw-deflated (RFC 1951) and base64-encoded. */',
      'export const RELAXED_GEMM_WASM_DEFLATED_BASE64 =',
      `  '${relaxed.base64}';`,
      '',
    ].join('\n'),
  );
  renameSync(tmpFile, outFile);
  return { hash, rebuilt: true, main, relaxed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildWasm({ force: process.argv.includes('--force') });
  console.log(
    result.rebuilt
      ? `backend-wasm: compiled kernels (${result.main.bytes} bytes, ${result.main.deflated} deflated) and the relaxed GEMM (${result.relaxed.bytes}, ${result.relaxed.deflated}), ${result.hash}`
      : `backend-wasm: kernels up to date (${result.hash})`,
  );
}
