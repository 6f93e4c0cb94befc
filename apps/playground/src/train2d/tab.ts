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
import {
  datasetNames,
  makeDataset,
  type Dataset,
  type DatasetName,
  type Points,
} from './datasets.js';
import { drawDecisionMap, gridPoints } from './decision-map.js';
import { activations, createMlp, type Activation } from './mlp.js';

export interface TrainConfig {
  dataset: DatasetName;
  hiddenLayers: number;
  width: number;
  activation: Activation;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  noise: number;
  seed: number;
}

/** The training tab's state, exposed for the tests. */
export interface TrainState {
  config: TrainConfig;
  /** The error that stopped training, if any. */
  error: string | null;
  playing: boolean;
  step: number;
  trainLosses: number[];
  testLosses: number[];
  testAccuracy: number | null;
  /** memory().numTensors after each step: flat while training (everything runs in tidy). */
  tensorCounts: number[];
  /** Times the decision map was painted. */
  paints: number;
}

const POINTS = 400;
const GRID = 48;

const tensorOf = (p: Points) => () => tg.tensor(p.xy, [p.count, 2]);

export function createTrainTab(root: HTMLElement, register: (state: TrainState) => void): TabView {
  const state: TrainState = {
    config: {
      dataset: 'spiral',
      hiddenLayers: 3,
      width: 16,
      activation: 'relu',
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 32,
      noise: 0.05,
      seed: 1,
    },
    error: null,
    playing: false,
    step: 0,
    trainLosses: [],
    testLosses: [],
    testAccuracy: null,
    tensorCounts: [],
    paints: 0,
  };
  register(state);

  let data: Dataset;
  let model: Classifier | null = null;
  let optimizer: Optimizer | null = null;
  let batchRng: Random;
  const grid = gridPoints(GRID);

  const controls = h('div', { className: 'controls' });
  const set =
    <K extends keyof TrainConfig>(key: K) =>
    (value: TrainConfig[K]) => {
      state.config[key] = value;
      run.reset();
    };
  const c = state.config;
  selectControl(controls, 'train-dataset', 'dataset', datasetNames, c.dataset, set('dataset'));
  numberControl(
    controls,
    'train-layers',
    'hidden layers',
    c.hiddenLayers,
    { min: 0, max: 6, step: 1 },
    set('hiddenLayers'),
  );
  numberControl(
    controls,
    'train-width',
    'width',
    c.width,
    { min: 1, max: 64, step: 1 },
    set('width'),
  );
  selectControl(
    controls,
    'train-activation',
    'activation',
    activations,
    c.activation,
    set('activation'),
  );
  selectControl(
    controls,
    'train-optimizer',
    'optimizer',
    optimizerNames,
    c.optimizer,
    set('optimizer'),
  );
  numberControl(
    controls,
    'train-lr',
    'learning rate',
    c.learningRate,
    { min: 1e-5, max: 10, step: 0.001 },
    set('learningRate'),
  );
  numberControl(
    controls,
    'train-batch',
    'batch size',
    c.batchSize,
    { min: 1, max: 320, step: 1 },
    set('batchSize'),
  );
  numberControl(
    controls,
    'train-noise',
    'noise',
    c.noise,
    { min: 0, max: 0.5, step: 0.01 },
    set('noise'),
  );
  numberControl(
    controls,
    'train-seed',
    'seed',
    c.seed,
    { min: 0, max: 2 ** 31, step: 1 },
    set('seed'),
  );

  const playButton = h('button', { id: 'train-play', type: 'button', textContent: 'Play ▶' });
  const stepButton = h('button', { id: 'train-step', type: 'button', textContent: 'Step' });
  const resetButton = h('button', { id: 'train-reset', type: 'button', textContent: 'Reset' });
  const stats = h('pre', { id: 'train-stats', className: 'panel' });
  const canvas = h('canvas', { id: 'train-map', width: 400, height: 400 });
  canvas.setAttribute('aria-label', 'decision boundary');
  const chartBox = h('div', { id: 'train-chart' });
  root.append(
    h(
      'section',
      {},
      h('div', { className: 'panel controls-panel' }, controls),
      h('div', { className: 'toolbar' }, playButton, stepButton, resetButton),
      stats,
    ),
    h('section', {}, h('div', { className: 'toolbar' }, canvas), chartBox),
  );
  const chart = createLossChart(chartBox, ['train loss', 'test loss'], { width: 560, height: 220 });

  async function paint(isCurrent: IsCurrent): Promise<void> {
    const [probabilities] = await readAndDispose([
      tg.tidy(() =>
        tg.noGrad(() =>
          tg.softmax(model!.predict(tg.tensor(grid, [GRID * GRID, 2]))).slice([0, 1], [-1, 1]),
        ),
      ),
    ]);
    if (!isCurrent()) return;
    drawDecisionMap(canvas, probabilities!, GRID, data);
    state.paints++;
    const last = (a: number[]) => (a.length ? a[a.length - 1]!.toFixed(4) : '—');
    stats.textContent = [
      `step ${state.step}`,
      `train loss ${last(state.trainLosses)}`,
      `test loss ${last(state.testLosses)}`,
      `test accuracy ${state.testAccuracy === null ? '—' : `${(100 * state.testAccuracy).toFixed(1)}%`}`,
      `tensors ${tg.memory().numTensors} (flat while training: every step runs in tidy)`,
    ].join('\n');
    refreshStatus();
  }

  async function step(isCurrent: IsCurrent): Promise<void> {
    const { train, test } = data;
    const batch = Math.min(state.config.batchSize, train.count);
    const xy = new Float32Array(2 * batch);
    const labels = new Int32Array(batch);
    for (let k = 0; k < batch; k++) {
      const i = Math.floor(batchRng.uniform() * train.count);
      xy[2 * k] = train.xy[2 * i]!;
      xy[2 * k + 1] = train.xy[2 * i + 1]!;
      labels[k] = train.labels[i]!;
    }
    const t0 = performance.now();
    const loss = await trainStep(model!, optimizer!, () => tg.tensor(xy, [batch, 2]), labels);
    recordStep(performance.now() - t0);
    const evaluation = await evaluate(model!, tensorOf(test), test.labels);
    if (!isCurrent()) return;
    state.step++;
    state.trainLosses.push(loss);
    state.testLosses.push(evaluation.loss);
    state.testAccuracy = evaluation.accuracy;
    state.tensorCounts.push(tg.memory().numTensors);
    chart.push(state.step, [loss, evaluation.loss]);
  }

  function rebuild(): void {
    disposeTraining(model, optimizer);
    const cfg = state.config;
    data = makeDataset(cfg.dataset, {
      count: POINTS,
      noise: cfg.noise,
      seed: cfg.seed,
      testFraction: 0.2,
    });
    model = createMlp(cfg);
    optimizer = makeOptimizer(cfg.optimizer, cfg.learningRate);
    batchRng = new Random(cfg.seed + 1);
    Object.assign(state, {
      step: 0,
      trainLosses: [],
      testLosses: [],
      testAccuracy: null,
      tensorCounts: [],
    });
    chart.reset();
  }

  const run = createTrainingRun({
    state,
    buttons: { play: playButton, step: stepButton, reset: resetButton },
    rebuild,
    step,
    paint,
    showError: (message) => (stats.textContent = `training stopped: ${message}`),
  });
  run.reset();

  return { show: run.repaint, hide: run.pause, backendChanged: run.reset };
}
