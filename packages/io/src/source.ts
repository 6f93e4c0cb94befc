/**
 * Where checkpoints come from and go to: file paths (Node, through a dynamic import of
 * `node:fs/promises` so browser bundles never pull it in), URLs (fetch), bytes, Blobs.
 */
import { ArgumentError } from '@tapegrad/core';
import type { ErrorContext } from './errors.js';
import { checkpointError, errorMessage } from './errors.js';
import { describeBytes } from './format.js';

/**
 * What `load` reads: a file path (Node; in browsers a string is fetched as a URL),
 * an `http(s):`/`data:`/`blob:`/`file:` URL string or `URL`, bytes (`Uint8Array`,
 * Node `Buffer`, `ArrayBuffer`), a `Blob`/`File`, or a fetch `Response`.
 */
export type LoadSource = string | URL | Uint8Array | ArrayBuffer | Blob | Response;

/**
 * Where `save` writes: a file path (Node) or `file:` URL; `'bytes'` or `undefined` to
 * only return the bytes; or a function that receives the bytes (upload, IndexedDB, ...).
 * `save` always resolves to the encoded bytes.
 */
export type SaveTarget = string | URL | undefined | ((bytes: Uint8Array) => void | Promise<void>);

type FsPromises = typeof import('node:fs/promises');

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

async function nodeFs(ctx: ErrorContext): Promise<FsPromises> {
  const specifier = 'node:fs/promises';
  try {
    return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as FsPromises;
  } catch (e) {
    throw checkpointError(
      ctx,
      `file paths need Node's fs module, which is not available here (${errorMessage(e)}); ` +
        'in browsers pass a URL, a File/Blob or bytes',
      undefined,
      e,
    );
  }
}

async function fileUrlToPath(url: URL): Promise<string> {
  const specifier = 'node:url';
  const mod = (await import(
    /* webpackIgnore: true */ /* @vite-ignore */ specifier
  )) as typeof import('node:url');
  return mod.fileURLToPath(url);
}

const FETCHED = /^(https?|data|blob):/i;

function isBlobLike(v: unknown): v is Blob | Response {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { arrayBuffer?: unknown }).arrayBuffer === 'function'
  );
}

/** How a source is named in error messages. */
export function describeSource(source: unknown): string {
  if (typeof source === 'string') return `'${source}'`;
  if (source instanceof URL) return `'${source.href}'`;
  if (source instanceof Uint8Array) return describeBytes(source);
  if (source instanceof ArrayBuffer) return `<${source.byteLength} bytes>`;
  if (isBlobLike(source)) {
    const r = source as { name?: unknown; url?: unknown; size?: unknown };
    if (typeof r.name === 'string' && r.name) return `'${r.name}'`;
    if (typeof r.url === 'string' && r.url) return `'${r.url}'`;
    return typeof r.size === 'number' ? `<Blob, ${r.size} bytes>` : '<Response>';
  }
  return '<source>';
}

async function fetchBytes(url: string, ctx: ErrorContext): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw checkpointError(ctx, `fetch failed: ${errorMessage(e)}`, undefined, e);
  }
  return responseBytes(response, ctx);
}

async function responseBytes(r: Blob | Response, ctx: ErrorContext): Promise<Uint8Array> {
  const res = r as Response;
  if (typeof res.ok === 'boolean' && !res.ok) {
    throw checkpointError(ctx, `HTTP ${res.status} ${res.statusText}`.trim());
  }
  try {
    return new Uint8Array(await r.arrayBuffer());
  } catch (e) {
    throw checkpointError(ctx, `reading the data failed: ${errorMessage(e)}`, undefined, e);
  }
}

async function readFile(path: string | URL, ctx: ErrorContext): Promise<Uint8Array> {
  const fs = await nodeFs(ctx);
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw checkpointError(ctx, `cannot read the file: ${errorMessage(e)}`, undefined, e);
  }
}

/** Reads a whole source into memory. */
export async function readSource(source: LoadSource, ctx: ErrorContext): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) {
    const v = source as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  if (source instanceof URL) {
    return source.protocol === 'file:' ? readFile(source, ctx) : fetchBytes(source.href, ctx);
  }
  if (typeof source === 'string') {
    if (FETCHED.test(source)) return fetchBytes(source, ctx);
    if (/^file:/i.test(source)) return readFile(new URL(source), ctx);
    return isNode() ? readFile(source, ctx) : fetchBytes(source, ctx);
  }
  if (isBlobLike(source)) return responseBytes(source, ctx);
  throw new ArgumentError(
    `${ctx.op}: source must be a file path, URL, Uint8Array, ArrayBuffer, Blob/File or Response; got ${
      source === null ? 'null' : typeof source
    }`,
  );
}

/**
 * Writes `bytes` to a target. Files are written to a temporary file next to the
 * destination and renamed over it, so an interrupted save never leaves a torn checkpoint.
 */
export async function writeTarget(
  target: SaveTarget,
  bytes: Uint8Array,
  ctx: ErrorContext,
): Promise<void> {
  if (target === undefined || target === 'bytes') return;
  if (typeof target === 'function') {
    await target(bytes);
    return;
  }
  let path: string | URL;
  if (target instanceof URL) {
    if (target.protocol !== 'file:') {
      throw checkpointError(
        ctx,
        `cannot write to a ${target.protocol} URL; save to 'bytes' (or pass a function) and upload them`,
      );
    }
    path = target;
  } else if (typeof target === 'string') {
    if (FETCHED.test(target)) {
      throw checkpointError(
        ctx,
        "cannot write to a URL; save to 'bytes' (or pass a function) and upload them",
      );
    }
    path = /^file:/i.test(target) ? new URL(target) : target;
  } else {
    throw new ArgumentError(
      `${ctx.op}: target must be a file path, a file: URL, 'bytes', undefined or a function; got ${
        target === null ? 'null' : typeof target
      }`,
    );
  }
  const fs = await nodeFs(ctx);
  const finalPath = typeof path === 'string' ? path : await fileUrlToPath(path);
  const tmp = `${finalPath}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw checkpointError(ctx, `cannot write the file: ${errorMessage(e)}`, undefined, e);
  }
}
