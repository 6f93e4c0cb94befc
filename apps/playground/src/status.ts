import * as tg from 'tapegrad';

/** The header's live numbers: ms per training step of the current model and live tensors. */
export interface StatusState {
  /** Mean ms per step over the last steps of the model being trained (null: none yet). */
  msPerStep: number | null;
  numTensors: number;
}

export const status: StatusState = { msPerStep: null, numTensors: 0 };

const recent: number[] = [];

function render(): void {
  const perf = document.getElementById('perf');
  if (!perf) return;
  status.numTensors = tg.memory().numTensors;
  const ms = status.msPerStep === null ? '—' : status.msPerStep.toFixed(2);
  perf.textContent = `${ms} ms/step · ${status.numTensors} tensors`;
}

/** Records the duration of one training step (ms) and refreshes the header. */
export function recordStep(ms: number): void {
  recent.push(ms);
  if (recent.length > 20) recent.shift();
  status.msPerStep = recent.reduce((a, b) => a + b, 0) / recent.length;
  render();
}

/** Forgets the timings (a new model or backend). */
export function resetSteps(): void {
  recent.length = 0;
  status.msPerStep = null;
  render();
}

export const refreshStatus = render;
