/**
 * End-to-end: the built app (dist/) served on 127.0.0.1, driven in Debian's chromium
 * through playwright-core. Screenshots land in test-results/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = join(import.meta.dirname, '..');
const distDir = join(appDir, 'dist');
const resultsDir = join(appDir, 'test-results');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);

if (!haveChromium) {
  if (process.env.CI) {
    throw new Error(`e2e: ${chromiumPath} is missing; .ci/run installs Debian's chromium package`);
  }
  console.warn(
    `e2e: skipped, ${chromiumPath} not found (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A static server for dist/ (index.html for "/"). */
async function serve(root: string): Promise<{ server: Server; url: string }> {
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
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

interface State {
  ready: boolean;
  backend: string;
  preset: string | null;
  code: string;
  runCount: number;
  nodes: { id: string; kind: string; label: string; value: number[]; grad: number[] | null }[];
  tapeEntries: number;
  grads: Record<string, number[] | null>;
  values: Record<string, number[]>;
  lastError: string | null;
  errorLine: number | null;
  tab: string;
  order: string[];
  step: number;
  chainText: string;
  shareUrl: string;
}

interface TrainState {
  config: { dataset: string; optimizer: string };
  playing: boolean;
  step: number;
  trainLosses: number[];
  testLosses: number[];
  tensorCounts: number[];
}

type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'rmsprop';

interface RaceState {
  surface: string;
  learningRates: Record<OptimizerName, number>;
  steps: number;
  step: number;
  playing: boolean;
  trajectories: Record<OptimizerName, number[][]>;
  losses: Record<OptimizerName, number>;
}

/** Adam with torch's update rule, in float64, written independently of @tapegrad/optim; returns f at the end. */
function adamReference(
  f: (x: number, y: number) => number,
  grad: (x: number, y: number) => number[],
  start: number[],
  lr: number,
  steps: number,
): number {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const p = [...start];
  const m = [0, 0];
  const v = [0, 0];
  for (let t = 1; t <= steps; t++) {
    const g = grad(p[0]!, p[1]!);
    for (let i = 0; i < 2; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - b1 ** t);
      const vHat = v[i]! / (1 - b2 ** t);
      p[i] = p[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  return f(p[0]!, p[1]!);
}

interface MnistState {
  loaded: boolean;
  error: string | null;
  trainCount: number;
  testCount: number;
  step: number;
  trainLosses: number[];
  accuracies: [number, number][];
  tensorCounts: number[];
  drawn: number[] | null;
  probabilities: number[] | null;
  predicted: number | null;
}

const getState = (page: Page): Promise<State> =>
  page.evaluate(() => JSON.parse(JSON.stringify(window.__playground)) as State);

/** Replaces the CodeMirror document, as a user would (select all, then type/paste). */
async function setCode(page: Page, code: string): Promise<void> {
  await page.click('#code .cm-content');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

/** The text CodeMirror shows. */
const editorText = async (page: Page): Promise<string> =>
  (await page.locator('#code .cm-line').allInnerTexts()).join('\n');

async function runAndWait(page: Page, how: 'button' | 'keys' = 'button'): Promise<void> {
  const before = (await getState(page)).runCount;
  if (how === 'button') await page.click('#run');
  else await page.keyboard.press('ControlOrMeta+Enter');
  await page.waitForFunction((n) => window.__playground.runCount > n, before);
}

describe.skipIf(!haveChromium)('playground in chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  let page: Page;
  const consoleErrors: string[] = [];

  async function open(url: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    p.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    p.on('pageerror', (err) => consoleErrors.push(err.message));
    p.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    await p.goto(url);
    await p.waitForFunction(() => window.__playground?.ready === true);
    return p;
  }

  const shot = (p: Page, name: string) =>
    p.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'index.html'))) {
      // `npm test` builds first; a bare `vitest run` builds here.
      const { build } = await import('vite');
      await build({ root: appDir, logLevel: 'warn' });
    }
    mkdirSync(resultsDir, { recursive: true });
    ({ server, url: baseUrl } = await serve(distDir));
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
    page = await open(baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('the f(x, y) preset draws one node per tape entry with ∂f/∂x = 24 and ∂f/∂y = 10', async () => {
    const s = await getState(page);
    expect(s.lastError).toBeNull();
    expect(s.backend).toBe('wasm');
    expect(s.preset).toBe('fxy');
    // x² · y + y + 2: Square, Mul, Add, Add.
    expect(s.tapeEntries).toBe(4);
    expect(await page.locator('svg g.node[data-kind="op"]').count()).toBe(s.tapeEntries);
    // Leaves: x, y and the constant 2.
    expect(await page.locator('svg g.node[data-kind="leaf"]').count()).toBe(3);
    expect(await page.locator('svg path.edge').count()).toBe(7);
    expect(s.grads.x).toEqual([24]);
    expect(s.grads.y).toEqual([10]);
    expect(s.values.f).toEqual([42]);
    // Shown on the nodes as "value | grad".
    await expect
      .poll(() => page.locator('g.node[data-label="x"] text.value').textContent())
      .toBe('3 | 24');
    expect(await page.locator('g.node[data-label="y"] text.value').textContent()).toBe('4 | 10');
    expect(await page.locator('g.node[data-label="f"] text.value').textContent()).toBe('42 | 1');
    await shot(page, '1-fxy-graph');
  });

  it('step backward walks reverse topological order and shows the chain-rule product', async () => {
    const s = await getState(page);
    // Every node is stepped after all its consumers.
    const { edges } = await page.evaluate(() => ({ edges: window.__playground.edges }));
    const pos = new Map(s.order.map((id, i) => [id, i]));
    for (const e of edges) {
      if (pos.has(e.from) && pos.has(e.to)) expect(pos.get(e.to)!).toBeLessThan(pos.get(e.from)!);
    }
    await page.click('#step');
    expect((await getState(page)).chainText).toBe('∂f/∂f = 1 (the seed of backward)');
    expect(await page.locator('g.node.active').getAttribute('data-label')).toBe('f');
    const texts: Record<string, string> = {};
    for (let i = 1; i < s.order.length; i++) {
      await page.click('#step');
      const now = await getState(page);
      const label = s.nodes.find((n) => n.id === now.order[now.step])!.label;
      texts[label] = now.chainText;
      if (label === 'x') await shot(page, '2-fxy-step-x');
    }
    expect(texts.y).toMatch(
      /^∂f\/∂y = ∂f\/∂Mul#\d+ · ∂Mul#\d+\/∂y \+ ∂f\/∂Add#\d+ · ∂Add#\d+\/∂y\n= 1 · 9 \+ 1 · 1\n= 10$/,
    );
    expect(texts.x).toMatch(/^∂f\/∂x = ∂f\/∂Square#\d+ · ∂Square#\d+\/∂x\n= 4 · 6\n= 24$/);
    expect(await page.locator('#chain').textContent()).toBe((await getState(page)).chainText);
  });

  it('the w preset shows w.grad = [6, 28]', async () => {
    await page.selectOption('#preset', 'wx');
    await page.waitForFunction(() => window.__playground.preset === 'wx');
    const s = await getState(page);
    expect(s.lastError).toBeNull();
    expect(s.grads.w).toEqual([6, 28]);
    expect(s.grads.X).toBeNull(); // a constant: no gradient
    expect(s.values.cost).toEqual([48]);
    // w·X, slice, mul, sum.
    expect(s.tapeEntries).toBe(4);
    expect(await page.locator('svg g.node[data-kind="op"]').count()).toBe(4);
    expect(await page.locator('g.node[data-label="w"] text.value').textContent()).toBe(
      '[2, 3] | [6, 28]',
    );
    for (let i = 0; i < s.order.length; i++) await page.click('#step');
    expect((await getState(page)).chainText).toMatch(
      /∂cost\/∂w = .*\n= \[-6, -14\] · \[-1, -2\]\n= \[6, 28\]/,
    );
    await shot(page, '3-wx-graph');
  });

  it('editing the code in CodeMirror and running it updates the graph; errors are shown inline', async () => {
    const code =
      "const a = label(tg.scalar(2).requiresGrad_(), 'a');\nreturn a.mul(a).mul(a); // a³";
    await setCode(page, code);
    await runAndWait(page, 'keys'); // Ctrl/Cmd-Enter
    let s = await getState(page);
    expect(s.code).toBe(code);
    expect(s.lastError).toBeNull();
    expect(s.preset).toBeNull();
    expect(s.tapeEntries).toBe(2);
    expect(s.grads.a).toEqual([12]);
    expect(await page.locator('svg g.node[data-kind="op"]').count()).toBe(2);
    expect(await page.locator('svg g.node[data-kind="leaf"]').count()).toBe(1);
    await shot(page, '4-edited-code');

    // The error is thrown by the op on line 3: marked there, with the message.
    await setCode(
      page,
      '// broadcasting [2] with [3] fails\nconst a = tg.tensor([1, 2]);\nreturn a.add(tg.tensor([1, 2, 3]));',
    );
    await runAndWait(page);
    s = await getState(page);
    expect(s.lastError).toMatch(/^ShapeError: add: shapes of a \[2\] and b \[3\]/);
    expect(s.errorLine).toBe(3);
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('#error').textContent()).toMatch(/^line 3: .*shape/i);
    // CodeMirror's lint: a gutter marker and the line's range underlined.
    await expect.poll(() => page.locator('#code .cm-lint-marker-error').count()).toBe(1);
    expect(await page.locator('#code .cm-lintRange-error').textContent()).toBe(
      'return a.add(tg.tensor([1, 2, 3]));',
    );
    await shot(page, '5-error');
    // The graph of the last good run stays.
    expect(await page.locator('svg g.node[data-kind="op"]').count()).toBe(2);

    // A runtime error of the user's own code is placed too; a syntax error has only a message.
    await setCode(page, 'const a = 1;\nconst b = a.nope();\nreturn b;');
    await runAndWait(page);
    expect((await getState(page)).errorLine).toBe(2);
    await setCode(page, 'return (;');
    await runAndWait(page);
    s = await getState(page);
    expect(s.lastError).toMatch(/^SyntaxError/);
    expect(s.errorLine).toBeNull();

    await setCode(page, code);
    await runAndWait(page);
    expect((await getState(page)).lastError).toBeNull();
    expect(await page.locator('#code .cm-lint-marker-error').count()).toBe(0);
  });

  it('the share URL restores the code and the tab', async () => {
    const { shareUrl, code } = await getState(page);
    expect(shareUrl).toContain('#');
    const other = await open(shareUrl);
    const s = await getState(other);
    expect(s.code).toBe(code);
    expect(await editorText(other)).toBe(code);
    expect(s.grads.a).toEqual([12]);
    await shot(other, '6-shared-url');
    await other.close();

    const preset = await open(`${baseUrl}#preset=wx`);
    expect((await getState(preset)).grads.w).toEqual([6, 28]);
    await preset.close();
  });

  it('gradcheck passes on the seed function, per input, in float64', async () => {
    await page.selectOption('#preset', 'fxy');
    await page.waitForFunction(() => window.__playground.preset === 'fxy');
    await page.click('#gradcheck');
    await page.waitForFunction(() => window.__playground.gradcheck !== null);
    const { gradcheck } = await page.evaluate(() => ({
      gradcheck: window.__playground.gradcheck!,
    }));
    expect(gradcheck.error).toBeNull();
    expect(gradcheck.dtype).toBe('float64');
    expect(gradcheck.rows.map((r) => r.label)).toEqual(['x', 'y']);
    for (const r of gradcheck.rows) {
      expect(r.ok).toBe(true);
      expect(r.maxAbsError).toBeLessThan(1e-6);
    }
    expect(gradcheck.ok).toBe(true);
    expect(await page.locator('table.gradcheck tbody tr').count()).toBe(2);
    expect(await page.locator('table.gradcheck caption').textContent()).toMatch(/^pass/);
    await shot(page, '7-gradcheck');

    // A wrong gradient fails: sign() gets Identity's gradient (1) instead of 0.
    await setCode(
      page,
      "const x = label(tg.tensor([0.5, -2]).requiresGrad_(), 'x');\nreturn tg.withGradientOverride({ Sign: 'Identity' }, () => tg.sign(x).mul(x));",
    );
    await page.click('#gradcheck');
    await page.waitForFunction(() => window.__playground.gradcheck?.ok === false);
    expect(await page.locator('table.gradcheck td.fail').count()).toBe(1);
  });

  /** Clicks a tab and waits until its state is exposed. */
  async function openTab(p: Page, tab: string): Promise<void> {
    await p.click(`#tabs [data-tab="${tab}"]`);
    await p.waitForFunction((t) => window.__playground.tab === t, tab);
    expect(await p.locator(`#tab-${tab}`).isVisible()).toBe(true);
  }

  /** Number of distinct RGBA colours on a canvas. */
  const distinctColours = (p: Page, selector: string): Promise<number> =>
    p.evaluate((sel) => {
      const canvas = document.querySelector<HTMLCanvasElement>(sel)!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        seen.add(
          ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0,
        );
      }
      return seen.size;
    }, selector);

  const trainState = (p: Page) =>
    p.evaluate(() => JSON.parse(JSON.stringify(window.__playground.views.train)) as TrainState);

  async function trainSteps(p: Page, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await p.click('#train-step');
  }

  it('training the spiral for seeded steps lowers the loss, keeps memory flat and paints the boundary', async () => {
    await openTab(page, 'train');
    let s = await trainState(page);
    expect(s.config.dataset).toBe('spiral');
    expect(s.step).toBe(0);
    await trainSteps(page, 5);
    s = await trainState(page);
    expect(s.step).toBe(5);
    expect(await page.locator('#perf').textContent()).toMatch(/[\d.]+ ms\/step · \d+ tensors/);

    // Play runs steps on animation frames until paused.
    await page.click('#train-play');
    await page.waitForFunction(() => window.__playground.views.train!.step >= 300);
    await page.click('#train-play');
    s = await trainState(page);
    expect(s.playing).toBe(false);
    const paused = s.step;
    await page.waitForTimeout(100);
    expect((await trainState(page)).step).toBe(paused);
    // Seeded: the test loss (whole held-out set) after step 300 is well below its first value.
    expect(s.testLosses[0]!).toBeGreaterThan(0.6);
    expect(s.testLosses[299]!).toBeLessThan(0.35);
    // Every step runs inside tidy: the tensor count after step 3 is the count after every later step.
    expect(new Set(s.tensorCounts.slice(2))).toEqual(new Set([s.tensorCounts[2]]));
    // The heatmap is a smooth map of two colours plus points: many distinct colours.
    expect(await distinctColours(page, '#train-map')).toBeGreaterThan(200);
    expect(await page.locator('#train-chart .uplot').count()).toBe(1);
    await shot(page, '8-train-spiral');

    // Another dataset and optimizer: the controls reset the run.
    await page.selectOption('#train-dataset', 'xor');
    await page.selectOption('#train-optimizer', 'sgd');
    s = await trainState(page);
    expect([s.step, s.config.dataset, s.config.optimizer]).toEqual([0, 'xor', 'sgd']);
    await page.selectOption('#train-dataset', 'spiral');
    await page.selectOption('#train-optimizer', 'adam');
  });

  it('the share URL restores the tab', async () => {
    const { shareUrl } = await getState(page);
    expect(shareUrl).toContain('tab=train');
    const other = await open(shareUrl);
    expect((await getState(other)).tab).toBe('train');
    expect(await other.locator('#tab-train').isVisible()).toBe(true);
    expect(await other.locator('#tab-tape').isVisible()).toBe(false);
    await other.close();
  });

  it('cpu and wasm give the same loss after the same seeded steps (float32 tolerance)', async () => {
    const lossesOn = async (backend: string) => {
      await page.selectOption('#backend-select', backend);
      await page.waitForFunction(
        (b) => window.__playground.backend === b && window.__playground.views.train!.step === 0,
        backend,
      );
      await trainSteps(page, 25);
      return (await trainState(page)).trainLosses;
    };
    // The switcher lists webgpu, disabled with the reason, where there is no adapter.
    const { backends } = await page.evaluate(() => ({ backends: window.__playground.backends }));
    expect(backends.map((b) => [b.name, b.available])).toEqual([
      ['cpu', true],
      ['wasm', true],
      ['webgpu', false],
    ]);
    expect(backends[2]!.reason).toMatch(/navigator\.gpu/);
    expect(await page.locator('#backend-select option[value="webgpu"]').isDisabled()).toBe(true);
    const onCpu = await lossesOn('cpu');
    const onWasm = await lossesOn('wasm');
    expect(onCpu).toHaveLength(25);
    for (let i = 0; i < 25; i++) expect(onWasm[i]!).toBeCloseTo(onCpu[i]!, 4);
    expect(Math.abs(onWasm[24]! - onCpu[24]!)).toBeLessThan(1e-4 * Math.max(1, onCpu[24]!));
  });

  it('optimizer race: four paths over the contour map; Adam ends where a float64 reference does', async () => {
    await openTab(page, 'race');
    const race = () =>
      page.evaluate(() => JSON.parse(JSON.stringify(window.__playground.views.race)) as RaceState);
    const runRace = async () => {
      await page.click('#race-play');
      await page.waitForFunction(() => {
        const r = window.__playground.views.race!;
        return r.step === r.steps && !r.playing;
      });
      return race();
    };
    const drawnPixels = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#race-map')!;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) n += data[i]! > 0 ? 1 : 0;
        return n;
      });

    const cases = [
      // Rosenbrock from (-1.2, 1): ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)).
      {
        surface: 'rosenbrock',
        start: [-1.2, 1],
        f: (x: number, y: number) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
        grad: (x: number, y: number) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
      },
      // The saddle from (-1.8, 0.02): ∇f = (2x, −2y).
      {
        surface: 'saddle',
        start: [-1.8, 0.02],
        f: (x: number, y: number) => x * x - y * y,
        grad: (x: number, y: number) => [2 * x, -2 * y],
      },
    ];
    for (const c of cases) {
      await page.selectOption('#race-surface', c.surface);
      const r = await runRace();
      expect(r.surface).toBe(c.surface);
      for (const name of ['sgd', 'momentum', 'adam', 'rmsprop'] as const) {
        expect(r.trajectories[name]).toHaveLength(r.steps + 1);
        expect(r.trajectories[name][0]).toEqual(c.start);
      }
      const reference = adamReference(c.f, c.grad, c.start, r.learningRates.adam, r.steps);
      expect(Math.abs(r.losses.adam - reference)).toBeLessThan(
        1e-3 * Math.max(1, Math.abs(reference)),
      );
      expect(await drawnPixels()).toBeGreaterThan(1000);
      expect(await page.locator('#race-legend li').count()).toBe(4);
      await shot(page, `9-race-${c.surface}`);
    }
    // Learning rates are adjustable: Adam at 0.05 on the saddle.
    await page.fill('#race-lr-adam', '0.05');
    await page.dispatchEvent('#race-lr-adam', 'change');
    const r = await runRace();
    expect(r.learningRates.adam).toBe(0.05);
    const saddle = cases[1]!;
    const reference = adamReference(saddle.f, saddle.grad, saddle.start, 0.05, r.steps);
    expect(Math.abs(r.losses.adam - reference)).toBeLessThan(1e-3 * Math.abs(reference));
  });

  it('MNIST: the bundled subset trains in the browser above chance, and a drawn digit is classified', async () => {
    await openTab(page, 'mnist');
    await page.waitForFunction(() => window.__playground.views.mnist?.loaded === true);
    const mnist = () =>
      page.evaluate(
        () => JSON.parse(JSON.stringify(window.__playground.views.mnist)) as MnistState,
      );
    let s = await mnist();
    expect(s.error).toBeNull();
    expect([s.trainCount, s.testCount]).toEqual([2000, 500]);
    for (let i = 0; i < 40; i++) await page.click('#mnist-step');
    s = await mnist();
    expect(s.step).toBe(40);
    expect(s.accuracies.map(([step]) => step)).toEqual([20, 40]);
    // Chance is 10%; 40 seeded Adam steps on 32-image batches reach far above it.
    expect(s.accuracies[1]![1]).toBeGreaterThan(0.5);
    expect(s.trainLosses[39]!).toBeLessThan(s.trainLosses[0]!);
    expect(new Set(s.tensorCounts.slice(2))).toEqual(new Set([s.tensorCounts[2]]));

    // Draw a "1": one vertical stroke with the mouse.
    const box = (await page.locator('#mnist-pad').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await page.mouse.move(
        box.x + box.width * (0.5 - 0.01 * i),
        box.y + box.height * (0.15 + 0.07 * i),
      );
    }
    await page.mouse.up();
    await page.waitForFunction(() => window.__playground.views.mnist!.probabilities !== null);
    s = await mnist();
    // The input is MNIST-like: 28×28, the stroke fitted to 20 pixels high and centred.
    const drawn = s.drawn!;
    expect(drawn).toHaveLength(784);
    const rows = Array.from({ length: 28 }, (_, r) => drawn.slice(28 * r, 28 * r + 28));
    const inkRows = rows.map((row, r) => (row.some((v) => v > 0.2) ? r : -1)).filter((r) => r >= 0);
    expect(inkRows[inkRows.length - 1]! - inkRows[0]! + 1).toBeGreaterThanOrEqual(19);
    expect(Math.abs((inkRows[0]! + inkRows[inkRows.length - 1]!) / 2 - 13.5)).toBeLessThanOrEqual(
      1.5,
    );
    const probabilities = s.probabilities!;
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(s.predicted).toBe(probabilities.indexOf(Math.max(...probabilities)));
    expect(s.predicted).toBe(1);
    expect(await page.locator('#mnist-probabilities .bar-row').count()).toBe(10);
    expect(
      await page.locator('#mnist-probabilities .bar-row.predicted').getAttribute('data-digit'),
    ).toBe('1');
    await shot(page, '10-mnist');

    await page.click('#mnist-clear');
    s = await mnist();
    expect([s.drawn, s.probabilities]).toEqual([null, null]);
  });

  it('MNIST: a digit can be drawn with a finger (touch events)', async () => {
    const context = await browser.newContext({
      hasTouch: true,
      viewport: { width: 900, height: 900 },
    });
    const touchPage = await context.newPage();
    touchPage.on('pageerror', (err) => consoleErrors.push(err.message));
    await touchPage.goto(`${baseUrl}#tab=mnist`);
    await touchPage.waitForFunction(() => window.__playground?.views.mnist?.loaded === true);
    const box = (await touchPage.locator('#mnist-pad').boundingBox())!;
    const cdp = await context.newCDPSession(touchPage);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd' ? [] : [{ x: box.x + box.width / 2, y: box.y + y * box.height }],
      });
    await touch('touchStart', 0.2);
    for (let i = 1; i <= 8; i++) await touch('touchMove', 0.2 + 0.075 * i);
    await touch('touchEnd', 0.8);
    await touchPage.waitForFunction(() => window.__playground.views.mnist!.probabilities !== null);
    const drawn = await touchPage.evaluate(() => window.__playground.views.mnist!.drawn!);
    // A vertical stroke, not a dot (a touch that scrolled the page would leave only its start):
    // fitted to 20 pixels high, a few wide.
    const ink = drawn.flatMap((v, k) => (v > 0.3 ? [[Math.floor(k / 28), k % 28]] : []));
    const span = (axis: 0 | 1) =>
      Math.max(...ink.map((p) => p[axis]!)) - Math.min(...ink.map((p) => p[axis]!)) + 1;
    expect(span(0)).toBeGreaterThanOrEqual(19);
    expect(span(1)).toBeLessThanOrEqual(8);
    await context.close();
  });

  it('logs no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
