import * as tg from 'tapegrad';
import './style.css';
import { listBackends, SYNC_BACKEND, type BackendChoice } from './backends.js';
import { refreshStatus, resetSteps, status, type StatusState } from './status.js';
import { createMnistTab, type MnistState } from './mnist/tab.js';
import { createRaceTab, type RaceState } from './race/tab.js';
import { createTapeTab, type TapeState } from './tape-tab.js';
import { createTrainTab, type TrainState } from './train2d/tab.js';
import { isTabId, tabIds, type TabId, type TabView } from './tabs.js';
import { findPreset } from './presets.js';
import { decodeHash, encodeHash } from './url-state.js';

/** State exposed for the end-to-end tests (and the curious, in devtools): the tape tab's at the top. */
export interface PlaygroundState extends TapeState {
  ready: boolean;
  backend: string;
  /** Backends the switcher offers, and why the others are unavailable. */
  backends: BackendChoice[];
  tab: TabId;
  shareUrl: string;
  status: StatusState;
  /** Each tab's state, once it was shown. */
  views: { train?: TrainState; mnist?: MnistState; race?: RaceState };
}

declare global {
  interface Window {
    __playground: PlaygroundState;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const state: PlaygroundState = {
  ready: false,
  backend: '',
  backends: [],
  tab: 'tape',
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
  errorLine: null,
  order: [],
  step: -1,
  chainText: '',
  gradcheck: null,
  shareUrl: '',
  status,
  views: {},
};
window.__playground = state;

/** Tab views, built when first shown. */
const views = new Map<TabId, TabView>();
const viewFactories: Partial<Record<TabId, () => TabView>> = {
  train: () => createTrainTab($('tab-train'), (s) => (state.views.train = s)),
  mnist: () => createMnistTab($('tab-mnist'), (s) => (state.views.mnist = s)),
  race: () => createRaceTab($('tab-race'), (s) => (state.views.race = s)),
};

function syncUrl(): void {
  const preset = findPreset(state.preset);
  const hash = encodeHash({
    tab: state.tab === 'tape' ? null : state.tab,
    preset: state.preset,
    code: preset && preset.code === state.code ? null : state.code,
  });
  history.replaceState(null, '', hash);
  state.shareUrl = location.href;
}

function showTab(id: TabId): void {
  views.get(state.tab)?.hide();
  state.tab = id;
  for (const t of tabIds) {
    $(`tab-${t}`).hidden = t !== id;
    document
      .querySelector(`#tabs [data-tab="${t}"]`)
      ?.setAttribute('aria-selected', String(t === id));
  }
  let view = views.get(id);
  if (!view) {
    view = viewFactories[id]?.();
    if (view) views.set(id, view);
  }
  resetSteps();
  view?.show();
  syncUrl();
}

async function switchBackend(name: string): Promise<void> {
  await tg.setBackend(name);
  state.backend = tg.getBackend();
  resetSteps();
  for (const view of views.values()) view.backendChanged();
  refreshStatus();
}

async function start(): Promise<void> {
  // The fastest backend the browser has: webgpu where there is an adapter (the views that read
  // synchronously then run on wasm), else wasm (compiled asynchronously on a browser main
  // thread). webgpu is only tried where it is offered, so no page loads its code for nothing.
  state.backends = await listBackends();
  const gpu = state.backends.some((b) => b.name === 'webgpu' && b.available);
  await tg
    .setBackend(gpu ? 'webgpu' : SYNC_BACKEND)
    .catch(() => tg.setBackend(SYNC_BACKEND))
    .catch(() => tg.ready());
  state.backend = tg.getBackend();
  const backendSelect = $<HTMLSelectElement>('backend-select');
  for (const b of state.backends) {
    const option = new Option(b.name, b.name);
    option.disabled = !b.available;
    option.title = b.reason;
    backendSelect.append(option);
  }
  backendSelect.value = state.backend;
  backendSelect.addEventListener('change', () => {
    switchBackend(backendSelect.value).catch((e: unknown) => {
      // The engine keeps the previous backend: say why, and show that one again.
      const message = e instanceof Error ? e.message : String(e);
      backendSelect.value = state.backend;
      $('perf').textContent = `could not switch backends: ${message}`;
    });
  });

  const restored = decodeHash(location.hash);
  const tape = createTapeTab(state, restored, syncUrl);
  views.set('tape', tape);
  $('share').addEventListener('click', () => {
    state.code = tape.editor.getCode();
    syncUrl();
    void navigator.clipboard?.writeText(state.shareUrl).catch(() => undefined);
    const consoleBox = $('console');
    consoleBox.textContent += `${consoleBox.textContent ? '\n' : ''}share: ${state.shareUrl}`;
  });
  document.querySelectorAll<HTMLButtonElement>('#tabs [data-tab]').forEach((button) => {
    button.addEventListener('click', () => {
      const id = button.dataset.tab ?? null;
      if (isTabId(id)) showTab(id);
    });
  });
  showTab(isTabId(restored.tab) ? restored.tab : 'tape');
  refreshStatus();
  state.ready = true;
}

start().catch((e: unknown) => {
  state.lastError = e instanceof Error ? e.message : String(e);
  const errorBox = $('error');
  errorBox.hidden = false;
  errorBox.textContent = `startup failed: ${state.lastError}`;
  state.ready = true;
});
