import * as tg from 'tapegrad';
import type { Optimizer, Variable } from 'tapegrad';
import { withSyncReads } from '../backends.js';
import { animate, h, numberControl, selectControl } from '../dom.js';
import { makeOptimizer, optimizerNames, type OptimizerName } from '../optimizers.js';
import { recordStep, refreshStatus, resetSteps } from '../status.js';
import type { TabView } from '../tabs.js';
import { drawContourMap, toCanvas } from './contour-map.js';
import { findSurface, surfaces, type Surface } from './surfaces.js';

/** The race's state, exposed for the tests. */
export interface RaceState {
  surface: string;
  learningRates: Record<OptimizerName, number>;
  steps: number;
  step: number;
  playing: boolean;
  /** Each optimizer's path, start included: [[x, y], ...]. */
  trajectories: Record<OptimizerName, [number, number][]>;
  /** f at each optimizer's current point. */
  losses: Record<OptimizerName, number>;
}

const COLOURS: Record<OptimizerName, string> = {
  sgd: '#ef4444',
  momentum: '#f59e0b',
  adam: '#ffffff',
  rmsprop: '#22d3ee',
};
const STEPS = 500;
const STEPS_PER_FRAME = 10;

interface Racer {
  name: OptimizerName;
  point: Variable;
  optimizer: Optimizer;
}

const swatch = (colour: string): HTMLSpanElement => {
  const span = h('span', { className: 'swatch' });
  span.style.background = colour;
  return span;
};

const byOptimizer = <T>(make: (name: OptimizerName) => T): Record<OptimizerName, T> =>
  Object.fromEntries(optimizerNames.map((n) => [n, make(n)])) as Record<OptimizerName, T>;

/**
 * SGD, momentum, Adam and RMSProp (from @tapegrad/optim) start from the same point of a 2-D
 * surface; their paths are drawn over its contour map.
 */
export function createRaceTab(root: HTMLElement, register: (state: RaceState) => void): TabView {
  const first = surfaces[0]!;
  const state: RaceState = {
    surface: first.id,
    learningRates: { ...first.learningRates },
    steps: STEPS,
    step: 0,
    playing: false,
    trajectories: byOptimizer(() => []),
    losses: byOptimizer(() => NaN),
  };
  register(state);
  let surface: Surface = first;
  let racers: Racer[] = [];
  let loop: { stop(): void } | null = null;
  const background = h('canvas', { width: 460, height: 460 });
  const canvas = h('canvas', { id: 'race-map', width: 460, height: 460 });
  canvas.setAttribute('aria-label', 'optimizer paths');
  const legend = h('ul', { id: 'race-legend', className: 'legend' });

  const controls = h('div', { className: 'controls' });
  selectControl(
    controls,
    'race-surface',
    'surface',
    surfaces.map((s) => s.id),
    state.surface,
    (id) => {
      surface = findSurface(id);
      state.surface = surface.id;
      state.learningRates = { ...surface.learningRates };
      for (const n of optimizerNames) lrInputs[n].value = String(state.learningRates[n]);
      drawContourMap(background, surface);
      reset();
    },
  );
  const lrInputs = byOptimizer((n) =>
    numberControl(
      controls,
      `race-lr-${n}`,
      `${n} learning rate`,
      state.learningRates[n],
      { min: 1e-6, max: 10, step: 0.0001 },
      (v) => {
        state.learningRates[n] = v;
        reset();
      },
    ),
  );
  const playButton = h('button', { id: 'race-play', type: 'button', textContent: 'Play ▶' });
  const resetButton = h('button', { id: 'race-reset', type: 'button', textContent: 'Reset' });
  const title = h('p', { id: 'race-title', className: 'muted' });
  root.append(
    h(
      'section',
      {},
      h('div', { className: 'panel' }, controls),
      h('div', { className: 'toolbar' }, playButton, resetButton),
      legend,
    ),
    h('section', {}, title, h('div', { className: 'stack' }, background, canvas)),
  );

  const lossAt = (point: Variable) =>
    tg.tidy(() => surface.f(point.slice([0], [1]), point.slice([1], [1])).dataSync()[0]!);

  function draw(): void {
    const ctx = canvas.getContext('2d')!;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (surface.minimum) {
      const [mx, my] = toCanvas(surface, canvas, ...surface.minimum);
      ctx.fillStyle = '#fff';
      ctx.font = '18px sans-serif';
      ctx.fillText('★', mx - 7, my + 6);
    }
    for (const name of optimizerNames) {
      const path = state.trajectories[name];
      ctx.beginPath();
      path.forEach(([x, y], i) => {
        const [px, py] = toCanvas(surface, canvas, x, y);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.strokeStyle = COLOURS[name];
      ctx.lineWidth = 2;
      ctx.stroke();
      const last = path[path.length - 1];
      if (last) {
        const [px, py] = toCanvas(surface, canvas, ...last);
        ctx.beginPath();
        ctx.arc(px, py, 4, 0, 2 * Math.PI);
        ctx.fillStyle = COLOURS[name];
        ctx.fill();
      }
    }
    legend.replaceChildren(
      ...optimizerNames.map((n) =>
        h(
          'li',
          { dataset: { optimizer: n } },
          swatch(COLOURS[n]),
          `${n}: f = ${state.losses[n].toPrecision(5)} after ${state.step} steps`,
        ),
      ),
    );
    refreshStatus();
  }

  function step(): void {
    const t0 = performance.now();
    withSyncReads(() => {
      for (const r of racers) {
        tg.tidy(() => {
          r.optimizer.minimize(
            () => surface.f(r.point.slice([0], [1]), r.point.slice([1], [1])).sum(),
            false,
            [r.point],
          );
        });
        const [x, y] = r.point.dataSync();
        state.trajectories[r.name].push([x!, y!]);
        state.losses[r.name] = lossAt(r.point);
      }
    });
    recordStep(performance.now() - t0);
    state.step++;
  }

  function pause(): void {
    loop?.stop();
    loop = null;
    state.playing = false;
    playButton.textContent = 'Play ▶';
  }

  function play(): void {
    if (state.step >= state.steps) reset();
    state.playing = true;
    playButton.textContent = 'Pause ⏸';
    loop = animate(() => {
      for (let i = 0; i < STEPS_PER_FRAME && state.step < state.steps; i++) step();
      draw();
      if (state.step < state.steps) return true;
      pause();
      return false;
    });
  }

  function reset(): void {
    pause();
    for (const r of racers) {
      r.optimizer.dispose();
      r.point.dispose();
    }
    // The race reads every point as it goes: it runs on wasm while webgpu is selected.
    racers = withSyncReads(() =>
      optimizerNames.map((name) => ({
        name,
        point: tg.variable(surface.start),
        optimizer: makeOptimizer(name, state.learningRates[name]),
      })),
    );
    state.step = 0;
    state.trajectories = byOptimizer(() => [[...surface.start]]);
    const startLoss = withSyncReads(() => lossAt(racers[0]!.point));
    state.losses = byOptimizer(() => startLoss);
    title.textContent = `${surface.title}, from (${surface.start.join(', ')}), ${state.steps} steps`;
    resetSteps();
    draw();
  }

  playButton.addEventListener('click', () => (state.playing ? pause() : play()));
  resetButton.addEventListener('click', reset);
  drawContourMap(background, surface);
  reset();

  return {
    show: draw,
    hide: pause,
    backendChanged: () => {
      drawContourMap(background, surface);
      reset();
    },
  };
}
