import { withSyncReads } from './backends.js';
import { backwardOrder, chainRuleText } from './chain-rule.js';
import { createEditor, type CodeEditor } from './editor.js';
import { gradcheckCode, renderGradcheck, type GradcheckOutcome } from './gradcheck.js';
import { renderGraph } from './graph-view.js';
import { defaultPreset, findPreset, presets } from './presets.js';
import { runCode, type GraphEdge, type GraphNode, type TapeGraph } from './tape-graph.js';
import type { TabView } from './tabs.js';

/** The tape view's state, exposed for the end-to-end tests (and the curious, in devtools). */
export interface TapeState {
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
  /** The line of the code the last error points at (1-based), when known. */
  errorLine: number | null;
  /** Backward stepping: the order, and the index of the highlighted node (-1: none). */
  order: string[];
  step: number;
  chainText: string;
  gradcheck: GradcheckOutcome | null;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/**
 * The tape tab: code editor, tape graph, step-backward chain rule and gradcheck.
 * `onRun` is called after every run (the shell updates the URL).
 */
export function createTapeTab(
  state: TapeState,
  initial: { preset: string | null; code: string | null },
  onRun: () => void,
): TabView & { editor: CodeEditor; run(): void } {
  const presetSelect = $<HTMLSelectElement>('preset');
  const errorBox = $<HTMLDivElement>('error');
  const consoleBox = $<HTMLPreElement>('console');
  const graphBox = $<HTMLDivElement>('graph');
  const chainBox = $<HTMLDivElement>('chain');
  const stepLabel = $<HTMLSpanElement>('step-label');
  const gradcheckBox = $<HTMLDivElement>('gradcheck-result');
  let graph: TapeGraph | null = null;

  for (const p of presets) presetSelect.append(new Option(p.title, p.id));
  presetSelect.append(new Option('(custom code)', ''));

  function showStep(): void {
    graphBox.querySelectorAll('g.node').forEach((g) => g.classList.remove('active', 'done'));
    graphBox.querySelectorAll('path.edge').forEach((e) => e.classList.remove('active'));
    if (!graph || state.step < 0) {
      state.chainText = '';
      chainBox.textContent =
        'Step backward to follow the chain rule from the output to the leaves.';
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
    state.code = editor.getCode();
    const outcome = withSyncReads(() => runCode(state.code));
    state.runCount++;
    state.logs = outcome.logs;
    state.lastError = outcome.error;
    state.errorLine = outcome.errorLine;
    consoleBox.textContent = outcome.logs.join('\n');
    errorBox.hidden = outcome.error === null;
    errorBox.textContent =
      outcome.error === null
        ? ''
        : `${outcome.errorLine === null ? '' : `line ${outcome.errorLine}: `}${outcome.error}`;
    editor.showError(
      outcome.error === null ? null : { message: outcome.error, line: outcome.errorLine },
    );
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
    onRun();
  }

  let settingCode = false;
  const editor = createEditor($('code'), {
    onRun: run,
    onChange: () => {
      // Edited code is no longer the preset's.
      if (!settingCode && state.preset && findPreset(state.preset)?.code !== editor.getCode()) {
        state.preset = null;
        presetSelect.value = '';
      }
    },
  });
  const setCode = (code: string) => {
    settingCode = true;
    editor.setCode(code);
    settingCode = false;
  };

  function loadPreset(id: string): void {
    const preset = findPreset(id);
    state.preset = preset ? preset.id : null;
    if (preset) setCode(preset.code);
    run();
  }

  presetSelect.addEventListener('change', () => loadPreset(presetSelect.value));
  $('run').addEventListener('click', run);
  $('step').addEventListener('click', () => {
    if (!state.order.length) return;
    state.step = Math.min(state.step + 1, state.order.length - 1);
    showStep();
  });
  $('reset-step').addEventListener('click', () => {
    state.step = -1;
    showStep();
  });
  $('gradcheck').addEventListener('click', () => {
    state.gradcheck = withSyncReads(() => gradcheckCode(editor.getCode()));
    renderGradcheck(gradcheckBox, state.gradcheck);
  });

  const preset = findPreset(initial.preset);
  state.preset = preset ? preset.id : initial.code !== null ? null : defaultPreset.id;
  presetSelect.value = state.preset ?? '';
  setCode(initial.code ?? (preset ?? defaultPreset).code);
  run();

  return {
    editor,
    run,
    show: () => undefined,
    hide: () => undefined,
    backendChanged: run,
  };
}
