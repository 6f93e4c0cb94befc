import * as tg from 'tapegrad';
import './style.css';
import { backwardOrder, chainRuleText } from './chain-rule.js';
import { renderGraph } from './graph-view.js';
import { defaultPreset, findPreset, presets } from './presets.js';
import { runCode, type GraphEdge, type GraphNode, type TapeGraph } from './tape-graph.js';
import { decodeHash, encodeHash } from './url-state.js';

/** State exposed for the end-to-end tests (and the curious, in devtools). */
export interface PlaygroundState {
  ready: boolean;
  backend: string;
  preset: string | null;
  code: string;
  runCount: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  tapeEntries: number;
  /** Values and gradients by node label (x, y, w, Mul#3, ...). */
  values: Record<string, number[]>;
  grads: Record<string, number[] | null>;
  logs: string[];
  lastError: string | null;
  /** Backward stepping: the order, and the index of the highlighted node (-1: none). */
  order: string[];
  step: number;
  chainText: string;
  shareUrl: string;
}

declare global {
  interface Window {
    __playground: PlaygroundState;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const presetSelect = $<HTMLSelectElement>('preset');
const codeArea = $<HTMLTextAreaElement>('code');
const errorBox = $<HTMLDivElement>('error');
const consoleBox = $<HTMLPreElement>('console');
const graphBox = $<HTMLDivElement>('graph');
const chainBox = $<HTMLDivElement>('chain');
const stepLabel = $<HTMLSpanElement>('step-label');

const state: PlaygroundState = {
  ready: false,
  backend: '',
  preset: null,
  code: '',
  runCount: 0,
  nodes: [],
  edges: [],
  tapeEntries: 0,
  values: {},
  grads: {},
  logs: [],
  lastError: null,
  order: [],
  step: -1,
  chainText: '',
  shareUrl: '',
};
window.__playground = state;

let graph: TapeGraph | null = null;

for (const p of presets) presetSelect.append(new Option(p.title, p.id));
presetSelect.append(new Option('(custom code)', ''));

function syncUrl(): void {
  const preset = findPreset(state.preset);
  const hash = encodeHash({
    preset: state.preset,
    code: preset && preset.code === state.code ? null : state.code,
  });
  history.replaceState(null, '', hash);
  state.shareUrl = location.href;
}

function showStep(): void {
  graphBox.querySelectorAll('g.node').forEach((g) => g.classList.remove('active', 'done'));
  graphBox.querySelectorAll('path.edge').forEach((e) => e.classList.remove('active'));
  if (!graph || state.step < 0) {
    state.chainText = '';
    chainBox.textContent = 'Step backward to follow the chain rule from the output to the leaves.';
    stepLabel.textContent = state.order.length ? `0 / ${state.order.length}` : '';
    return;
  }
  const id = state.order[state.step]!;
  state.order.slice(0, state.step).forEach((done) => {
    graphBox.querySelector(`g.node[data-id="${done}"]`)?.classList.add('done');
  });
  graphBox.querySelector(`g.node[data-id="${id}"]`)?.classList.add('active');
  graphBox
    .querySelectorAll(`path.edge[data-from="${id}"]`)
    .forEach((e) => e.classList.add('active'));
  state.chainText = chainRuleText(graph, id);
  chainBox.textContent = state.chainText;
  stepLabel.textContent = `${state.step + 1} / ${state.order.length}`;
}

function run(): void {
  state.code = codeArea.value;
  const outcome = runCode(state.code);
  state.runCount++;
  state.logs = outcome.logs;
  state.lastError = outcome.error;
  consoleBox.textContent = outcome.logs.join('\n');
  errorBox.hidden = outcome.error === null;
  errorBox.textContent = outcome.error ?? '';
  if (outcome.graph) {
    graph = outcome.graph;
    state.nodes = graph.nodes;
    state.edges = graph.edges;
    state.tapeEntries = graph.tapeEntries;
    state.values = Object.fromEntries(graph.nodes.map((n) => [n.label, n.value]));
    state.grads = Object.fromEntries(graph.nodes.map((n) => [n.label, n.grad]));
    state.order = backwardOrder(graph);
    state.step = -1;
    renderGraph(graphBox, graph);
    showStep();
  }
  syncUrl();
}

function loadPreset(id: string): void {
  const preset = findPreset(id);
  state.preset = preset ? preset.id : null;
  if (preset) codeArea.value = preset.code;
  run();
}

presetSelect.addEventListener('change', () => loadPreset(presetSelect.value));
$('run').addEventListener('click', run);
codeArea.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});
codeArea.addEventListener('input', () => {
  // Edited code is no longer the preset's.
  if (state.preset && findPreset(state.preset)?.code !== codeArea.value) {
    state.preset = null;
    presetSelect.value = '';
  }
});
$('share').addEventListener('click', () => {
  state.code = codeArea.value;
  syncUrl();
  void navigator.clipboard?.writeText(state.shareUrl).catch(() => undefined);
  consoleBox.textContent += `${consoleBox.textContent ? '\n' : ''}share: ${state.shareUrl}`;
});
$('step').addEventListener('click', () => {
  if (!state.order.length) return;
  state.step = Math.min(state.step + 1, state.order.length - 1);
  showStep();
});
$('reset-step').addEventListener('click', () => {
  state.step = -1;
  showStep();
});

async function start(): Promise<void> {
  // In a browser main thread the wasm backend compiles asynchronously.
  await tg.ready();
  state.backend = tg.getBackend();
  $('backend').textContent = `backend: ${state.backend}`;
  const restored = decodeHash(location.hash);
  const preset = findPreset(restored.preset);
  state.preset = preset ? preset.id : restored.code !== null ? null : defaultPreset.id;
  presetSelect.value = state.preset ?? '';
  codeArea.value = restored.code ?? (preset ?? defaultPreset).code;
  run();
  state.ready = true;
}

start().catch((e: unknown) => {
  state.lastError = e instanceof Error ? e.message : String(e);
  errorBox.hidden = false;
  errorBox.textContent = `startup failed: ${state.lastError}`;
  state.ready = true;
});
