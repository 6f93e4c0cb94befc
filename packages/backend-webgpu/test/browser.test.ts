/**
 * Browser tests: test/browser/page.ts (the cases of test/browser/cases.ts) bundled with
 * esbuild and run in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * with WebGPU over SwiftShader. Without Chromium or a WebGPU adapter in it, the cases are
 * skipped with the reason printed; under CI (`CI` set) that is a failure.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserCases } from './browser/cases.js';
import type { PageResults } from './browser/page.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Chromium flags for WebGPU without a GPU: Vulkan over SwiftShader (see README). */
const CHROMIUM_WEBGPU_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const repo = join(import.meta.dirname, '..', '..', '..');
const source = (pkg: string) => join(repo, 'packages', pkg, 'src', 'index.ts');

/** Bundles the page into a temporary folder with an index.html. */
async function bundlePage(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-webgpu-page-'));
  await build({
    entryPoints: [join(import.meta.dirname, 'browser', 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'page.js'),
    // The Node-only paths of the backend (device process) import node: modules lazily.
    external: ['node:*'],
    alias: {
      '@tapegrad/core': source('core'),
      '@tapegrad/ops-math': source('ops-math'),
      '@tapegrad/ops-conv': source('ops-conv'),
      '@tapegrad/backend-cpu': source('backend-cpu'),
    },
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="page.js"></script>',
  );
  return dir;
}

/** Serves `dir` on localhost (a secure context, as WebGPU requires). */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const name = req.url === '/' ? 'index.html' : (req.url ?? '').slice(1);
    readFile(join(dir, name)).then(
      (body) => {
        res.setHeader('content-type', name.endsWith('.js') ? 'text/javascript' : 'text/html');
        res.end(body);
      },
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Runs the page in Chromium: its results, or why it could not run. */
async function runPage(): Promise<PageResults> {
  if (!existsSync(chromiumPath))
    return {
      unavailable: `no Chromium at ${chromiumPath} (apt-get install chromium)`,
      adapter: '',
      cases: [],
    };
  const dir = await bundlePage();
  const { server, url } = await serve(dir);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_WEBGPU_FLAGS,
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const handle = await page.waitForFunction(() => window.__webgpuResults, null, {
      timeout: 240_000,
      polling: 200,
    });
    const results = (await handle.jsonValue()) as PageResults;
    if (errors.length > 0) console.warn(`[backend-webgpu] page errors: ${errors.join('; ')}`);
    return results;
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = await runPage();

describe('webgpu in headless Chromium (navigator.gpu)', () => {
  if (results.unavailable !== null) {
    const reason = results.unavailable;
    if (process.env.CI) {
      it('a WebGPU adapter in Chromium is required in CI', () => {
        throw new Error(
          `no WebGPU in headless Chromium in CI, so the browser path is untested: ${reason}`,
        );
      });
    } else {
      console.warn(`[backend-webgpu] skipping the browser tests: ${reason}`);
      it.skip(`browser tests (skipped: ${reason})`, () => {});
    }
    return;
  }
  console.log(`[backend-webgpu] Chromium adapter: ${results.adapter}`);
  for (const c of browserCases) {
    it(c.name, () => {
      const r = results.cases.find((x) => x.name === c.name);
      expect(r, 'the page did not run this case').toBeDefined();
      expect(r!.message).toBe('');
      expect(r!.ok).toBe(true);
    });
  }
});
