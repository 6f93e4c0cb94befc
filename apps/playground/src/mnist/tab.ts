import * as tg from 'tapegrad';
import type { Optimizer } from 'tapegrad';
import { Random } from 'tapegrad';
import {
  disposeTraining,
  evaluate,
  readAndDispose,
  trainStep,
  type Classifier,
} from '../classifier.js';
import { h, numberControl, selectControl } from '../dom.js';
import { createLossChart } from '../loss-chart.js';
import { makeOptimizer, optimizerNames, type OptimizerName } from '../optimizers.js';
import { recordStep, refreshStatus } from '../status.js';
import type { TabView } from '../tabs.js';
import { createTrainingRun, type IsCurrent } from '../training-run.js';
import { loadSubset } from './data.js';
import { createDrawPad } from './draw-pad.js';
import { createCnn } from './model.js';
import { IMAGE_SIZE, PIXELS, type Split } from './parse.js';

export interface MnistConfig {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  seed: number;
}

/** The MNIST tab's state, exposed for the tests. */
export interface MnistState {
  loaded: boolean;
  error: string | null;
  trainCount: number;
  testCount: number;
  config: MnistConfig;
  playing: boolean;
  step: number;
  trainLosses: number[];
  /** Test-set accuracy, measured every EVAL_EVERY steps: [step, accuracy]. */
  accuracies: [number, number][];
  tensorCounts: number[];
  /** The drawn digit as the model sees it (28×28, row-major) and its class probabilities. */
  drawn: number[] | null;
  probabilities: number[] | null;
  predicted: number | null;
}

const EVAL_EVERY = 20;

export function createMnistTab(root: HTMLElement, register: (state: MnistState) => void): TabView {
  const state: MnistState = {
    loaded: false,
    error: null,
    trainCount: 0,
    testCount: 0,
    config: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, seed: 1 },
    playing: false,
    step: 0,
    trainLosses: [],
    accuracies: [],
    tensorCounts: [],
    drawn: null,
    probabilities: null,
    predicted: null,
  };
  register(state);
  let data: { train: Split; test: Split } | null = null;
  let model: Classifier | null = null;
  let optimizer: Optimizer | null = null;
  let batchRng = new Random(0);

  const controls = h('div', { className: 'controls' });
  const set =
    <K extends keyof MnistConfig>(key: K) =>
    (value: MnistConfig[K]) => {
      state.config[key] = value;
      run.reset();
    };
  const c = state.config;
  selectControl(
    controls,
    'mnist-optimizer',
    'optimizer',
    optimizerNames,
    c.optimizer,
    set('optimizer'),
  );
  numberControl(
    controls,
    'mnist-lr',
    'learning rate',
    c.learningRate,
    { min: 1e-5, max: 1, step: 0.001 },
    set('learningRate'),
  );
  numberControl(
    controls,
    'mnist-batch',
    'batch size',
    c.batchSize,
    { min: 1, max: 256, step: 1 },
    set('batchSize'),
  );
  numberControl(
    controls,
    'mnist-seed',
    'seed',
    c.seed,
    { min: 0, max: 2 ** 31, step: 1 },
    set('seed'),
  );
  const playButton = h('button', {
    id: 'mnist-play',
    type: 'button',
    textContent: 'Play ▶',
    disabled: true,
  });
  const stepButton = h('button', {
    id: 'mnist-step',
    type: 'button',
    textContent: 'Step',
    disabled: true,
  });
  const resetButton = h('button', {
    id: 'mnist-reset',
    type: 'button',
    textContent: 'Reset',
    disabled: true,
  });
  const stats = h('pre', {
    id: 'mnist-stats',
    className: 'panel',
    textContent: 'loading the MNIST subset…',
  });
  const chartBox = h('div', { id: 'mnist-chart' });
  const pad = h('canvas', { id: 'mnist-pad', width: 280, height: 280 });
  pad.setAttribute('aria-label', 'draw a digit here');
  const clearButton = h('button', { id: 'mnist-clear', type: 'button', textContent: 'Clear' });
  const preview = h('canvas', { id: 'mnist-preview', width: IMAGE_SIZE, height: IMAGE_SIZE });
  const bars = h('div', { id: 'mnist-probabilities' });
  root.append(
    h(
      'section',
      {},
      h('div', { className: 'panel' }, controls),
      h('div', { className: 'toolbar' }, playButton, stepButton, resetButton),
      stats,
      chartBox,
    ),
    h(
      'section',
      {},
      h('p', { className: 'muted', textContent: 'Draw a digit (mouse, pen or finger):' }),
      h(
        'div',
        { className: 'toolbar' },
        pad,
        h('div', {}, preview, h('p', { className: 'muted', textContent: 'what the model sees' })),
      ),
      h('div', { className: 'toolbar' }, clearButton),
      bars,
    ),
  );
  const chart = createLossChart(chartBox, ['train loss', 'test accuracy'], {
    width: 520,
    height: 200,
  });
  const drawPad = createDrawPad(pad, classifyDrawing);

  const batchOf = (split: Split, indices: ArrayLike<number>) => {
    const images = new Float32Array(indices.length * PIXELS);
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      images.set(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
      labels[k] = split.labels[i]!;
    }
    return { x: () => tg.tensor(images, [indices.length, IMAGE_SIZE, IMAGE_SIZE, 1]), labels };
  };

  /** Bumped by every classification: only the latest one is shown. */
  let latestClassification = 0;

  async function classify(image: Float32Array): Promise<void> {
    const ticket = ++latestClassification;
    const [probabilities] = await readAndDispose([
      tg.tidy(() =>
        tg.noGrad(() =>
          tg.softmax(model!.predict(tg.tensor(image, [1, IMAGE_SIZE, IMAGE_SIZE, 1]))),
        ),
      ),
    ]);
    if (ticket !== latestClassification) return;
    state.probabilities = Array.from(probabilities!);
    state.predicted = state.probabilities.indexOf(Math.max(...state.probabilities));
    bars.replaceChildren(
      ...state.probabilities.map((p, digit) => {
        const bar = h('div', { className: 'bar' });
        bar.style.width = `${(100 * p).toFixed(1)}%`;
        return h(
          'div',
          {
            className: `bar-row${digit === state.predicted ? ' predicted' : ''}`,
            dataset: { digit: String(digit) },
          },
          h('span', { textContent: String(digit) }),
          h('div', { className: 'bar-track' }, bar),
          h('span', { textContent: `${(100 * p).toFixed(1)}%` }),
        );
      }),
    );
  }

  /** Shows the drawing as the model sees it (28×28) and classifies it. */
  function classifyDrawing(): void {
    const image = drawPad.toImage();
    state.drawn = image ? Array.from(image) : null;
    const pixels = new ImageData(IMAGE_SIZE, IMAGE_SIZE);
    image?.forEach((v, k) => pixels.data.set([255 * v, 255 * v, 255 * v, 255], 4 * k));
    preview.getContext('2d')!.putImageData(pixels, 0, 0);
    if (image && model) {
      classify(image).catch(run.fail);
    } else {
      state.probabilities = state.predicted = null;
      bars.replaceChildren();
    }
  }

  async function paint(): Promise<void> {
    const last = state.accuracies[state.accuracies.length - 1];
    const loss = state.trainLosses[state.trainLosses.length - 1];
    stats.textContent = [
      `${state.trainCount} training images, ${state.testCount} test images (bundled subset)`,
      `step ${state.step}`,
      `train loss ${loss === undefined ? '—' : loss.toFixed(4)}`,
      `test accuracy ${last ? `${(100 * last[1]).toFixed(1)}% (step ${last[0]})` : '—'}`,
    ].join('\n');
    refreshStatus();
  }

  async function step(isCurrent: IsCurrent): Promise<void> {
    const { train, test } = data!;
    const indices = Array.from({ length: state.config.batchSize }, () =>
      Math.floor(batchRng.uniform() * train.count),
    );
    const batch = batchOf(train, indices);
    const t0 = performance.now();
    const loss = await trainStep(model!, optimizer!, batch.x, batch.labels);
    recordStep(performance.now() - t0);
    if (!isCurrent()) return;
    state.step++;
    state.trainLosses.push(loss);
    state.tensorCounts.push(tg.memory().numTensors);
    if (state.step % EVAL_EVERY !== 0) {
      chart.push(state.step, [loss, null]);
      return;
    }
    const all = batchOf(
      test,
      Int32Array.from({ length: test.count }, (_, i) => i),
    );
    const { accuracy } = await evaluate(model!, all.x, all.labels);
    if (!isCurrent()) return;
    state.accuracies.push([state.step, accuracy]);
    chart.push(state.step, [loss, accuracy]);
    if (state.drawn) classifyDrawing();
  }

  function rebuild(): void {
    if (!data) return;
    disposeTraining(model, optimizer);
    model = createCnn(state.config.seed);
    optimizer = makeOptimizer(state.config.optimizer, state.config.learningRate);
    batchRng = new Random(state.config.seed + 1);
    Object.assign(state, { step: 0, trainLosses: [], accuracies: [], tensorCounts: [] });
    chart.reset();
    if (state.drawn) classifyDrawing();
  }

  const run = createTrainingRun({
    state,
    buttons: { play: playButton, step: stepButton, reset: resetButton },
    rebuild,
    step,
    paint,
    showError: (message) => (stats.textContent = `stopped: ${message}`),
  });
  clearButton.addEventListener('click', () => {
    drawPad.clear();
    classifyDrawing();
  });

  loadSubset().then(
    (subset) => {
      data = subset;
      Object.assign(state, {
        loaded: true,
        trainCount: subset.train.count,
        testCount: subset.test.count,
      });
      for (const b of [playButton, stepButton, resetButton]) b.disabled = false;
      run.reset();
    },
    (e: unknown) => {
      state.error = e instanceof Error ? e.message : String(e);
      stats.textContent = `could not load the MNIST subset: ${state.error}`;
    },
  );

  return { show: run.repaint, hide: run.pause, backendChanged: run.reset };
}
