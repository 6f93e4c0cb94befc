/**
 * CONSUMER TEST, browser: a page using `@tapegrad/core + ops-math + backend-wasm` (and
 * backend-cpu, the fallback) installed from the packed tarballs, bundled by a production
 * `vite build` with NO configuration (no vite.config, no wasm plugin, no paths), served on
 * 127.0.0.1 and run in Debian's chromium through playwright-core. The wasm backend must be
 * the active one (its module compiles asynchronously on the main thread: `engine.ready()`).
 * Vite comes from the workspace (root devDependency), not from a network install.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from './scratch.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);

if (!haveChromium) {
  if (process.env.CI) {
    throw new Error(
      `vite-browser: ${chromiumPath} is missing; .ci/run installs Debian's chromium package`,
    );
  }
  console.warn(
    `vite-browser: skipped, ${chromiumPath} not found (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

/** The workspace's Vite CLI (root devDependency), run as a user would run `vite build`. */
const viteBin = join(
  dirname(createRequire(import.meta.url).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

/** `vite build` in `dir`, in a clean environment (no NODE_ENV=test etc. from vitest). */
async function viteBuild(dir: string): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => k !== 'NODE_ENV' && k !== 'TEST' && !k.startsWith('VITEST'),
    ),
  );
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [viteBin, 'build'], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  return stdout + stderr;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A static server for `root` (index.html for "/"); the paths it had no file for go to `missing`. */
async function serve(root: string, missing: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        missing.push(path);
        res.writeHead(404).end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

interface PageResult {
  error?: string;
  backend: string;
  f: number;
  dx: number;
  dy: number;
  matMul: { shape: number[]; values: number[] };
}

describe.skipIf(!haveChromium)('vite production build in headless chromium', () => {
  let dir: string;
  let buildLog: string;
  let browser: Browser | undefined;
  let server: Server | undefined;
  let result: PageResult;
  let text: string | null;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    dir = scratch(
      'vite-browser',
      ['@tapegrad/core', '@tapegrad/ops-math', '@tapegrad/backend-wasm', '@tapegrad/backend-cpu'],
      ['vite-browser/index.html', 'vite-browser/main.js'],
    );
    buildLog = await viteBuild(dir);
    let url: string;
    ({ server, url } = await serve(join(dir, 'dist'), failedRequests));
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    page.on('requestfailed', (req) => failedRequests.push(`${req.url()} (failed)`));
    await page.goto(url);
    await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined);
    result = await page.evaluate(() => (window as unknown as { __result: PageResult }).__result);
    text = await page.locator('#result').textContent();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('vite build bundles the page with no configuration', () => {
    expect(existsSync(join(dir, 'vite.config.js'))).toBe(false);
    expect(existsSync(join(dir, 'dist', 'index.html'))).toBe(true);
    expect(readdirSync(join(dir, 'dist', 'assets')).some((f) => f.endsWith('.js'))).toBe(true);
    // Nothing Node-only was pulled in (Vite would externalize it and warn).
    expect(buildLog).not.toMatch(/externalized for browser compatibility/);
  });

  it('runs on the wasm backend: f(x, y) = x²y + y + 2 gives ∂f/∂x = 24, ∂f/∂y = 10', () => {
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('wasm');
    expect(result.f).toBe(42);
    expect(result.dx).toBe(24);
    expect(result.dy).toBe(10);
  });

  it('matMul on the wasm backend', () => {
    expect(result.matMul).toEqual({ shape: [2, 2], values: [19, 22, 43, 50] });
  });

  it('writes the results into the DOM', () => {
    expect(JSON.parse(text ?? 'null')).toEqual(result);
  });

  it('logs no console errors and loads every resource', () => {
    expect({ consoleErrors, failedRequests }).toEqual({ consoleErrors: [], failedRequests: [] });
  });
});
