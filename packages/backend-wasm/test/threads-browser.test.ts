/**
 * Threads in a browser: the page (threads-browser-page.ts, bundled from the sources by
 * esbuild) runs in headless Chromium (playwright-core), served once with the COOP/COEP
 * headers that make it `crossOriginIsolated` (shared memory, 2 threads from Blob-URL
 * workers; the main thread spins instead of blocking) and once without them (plain memory,
 * 1 thread). Results are bit-identical either way. Skipped without /usr/bin/chromium
 * (CHROMIUM_PATH), except in CI.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageResult } from './threads-browser-page.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env.CI) {
  throw new Error(`threads-browser: ${chromiumPath} is missing (apt-get install chromium)`);
}

const packages = fileURLToPath(new URL('../../', import.meta.url));
const source = (pkg: string) => join(packages, pkg, 'src', 'index.ts');

let script = '';
let server: Server | undefined;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  if (!haveChromium) return;
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./threads-browser-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    alias: Object.fromEntries(
      ['core', 'ops-math', 'ops-conv', 'backend-cpu'].map((pkg) => [
        `@tapegrad/${pkg}`,
        source(pkg),
      ]),
    ),
  });
  script = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    const isolated = req.url?.startsWith('/isolated') ?? false;
    const headers: Record<string, string> = isolated
      ? {
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        }
      : {};
    if (req.url?.endsWith('.js')) {
      res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(script);
    } else {
      res
        .writeHead(200, { ...headers, 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="page.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function run(path: string): Promise<PageResult> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}${path}`);
  await page.waitForFunction(() => {
    const w = window as { __result?: unknown; __error?: unknown };
    return w.__result !== undefined || w.__error !== undefined;
  });
  const { result, error } = await page.evaluate(() => {
    const w = window as unknown as { __result?: PageResult; __error?: string };
    return { result: w.__result, error: w.__error };
  });
  await page.close();
  expect(error ?? errors.join('; ')).toBe('');
  return result!;
}

describe.skipIf(!haveChromium)('threads in a browser', () => {
  it('cross-origin isolated: shared memory, 2 threads (Blob-URL workers), bit-identical results', async () => {
    const r = await run('/isolated/');
    expect(r).toMatchObject({ isolated: true, shared: true, threads: 2, active: 2 });
    expect(r.two.length).toBe(2 * 67 * 45);
    expect(r.two).toEqual(r.one);
  }, 60_000);

  it('not isolated: a plain memory and 1 thread, same results', async () => {
    const r = await run('/plain/');
    expect(r).toMatchObject({ isolated: false, shared: false, threads: 1, active: 1 });
    const isolated = await run('/isolated/');
    expect(r.two).toEqual(isolated.one);
  }, 60_000);
});
