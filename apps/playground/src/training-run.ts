import { animate } from './dom.js';
import { resetSteps } from './status.js';

/** Steps stop once this much of an animation frame is spent (ms), so the page stays responsive. */
const FRAME_BUDGET_MS = 12;
/** And at this many steps (an asynchronous backend can queue work faster than it runs it). */
const MAX_STEPS_PER_FRAME = 50;

/** Tells whether the run a step or paint started in is still the current one (no reset since). */
export type IsCurrent = () => boolean;

/** The part of a training tab's state the run maintains. */
export interface RunState {
  playing: boolean;
  /** The error that stopped training, if any. */
  error: string | null;
}

/** Play / pause / step / reset of a training tab. */
export interface TrainingRun {
  /** Rebuilds the model from the tab's settings (same seed: same run) and repaints. */
  reset(): void;
  pause(): void;
  repaint(): void;
  /** Records and shows an error (one that stopped training, or another of the tab's). */
  fail(e: unknown): void;
}

/**
 * Wires a training tab's buttons: Play runs `step` on animation frames (as many as fit in the
 * frame's budget), then `paint`; Step runs one step; Reset (and `reset()`) rebuilds. A step or
 * paint still awaiting results when a reset happens must drop them: it gets `isCurrent`.
 */
export function createTrainingRun(options: {
  state: RunState;
  buttons: { play: HTMLButtonElement; step: HTMLButtonElement; reset: HTMLButtonElement };
  /** Disposes the previous model and optimizer, builds new ones, clears the history. */
  rebuild: () => void;
  step: (isCurrent: IsCurrent) => Promise<void>;
  paint: (isCurrent: IsCurrent) => Promise<void>;
  showError: (message: string) => void;
}): TrainingRun {
  const { state, buttons } = options;
  let generation = 0;
  const current = (): IsCurrent => {
    const started = generation;
    return () => started === generation;
  };
  const fail = (e: unknown) => {
    state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    options.showError(state.error);
  };
  let frames: { stop(): void } | null = null;
  const setPlaying = (playing: boolean) => {
    buttons.play.textContent = playing ? 'Pause ⏸' : 'Play ▶';
    state.playing = playing;
  };
  const pause = () => {
    frames?.stop();
    frames = null;
    setPlaying(false);
  };
  const play = () => {
    setPlaying(true);
    const these = animate(
      async () => {
        const start = performance.now();
        let steps = 0;
        // Pausing (or a reset) mid-frame stops before the next step.
        while (
          frames === these &&
          performance.now() - start < FRAME_BUDGET_MS &&
          steps < MAX_STEPS_PER_FRAME
        ) {
          await options.step(current());
          steps++;
        }
        await options.paint(current());
        return true;
      },
      (e) => {
        pause();
        fail(e);
      },
    );
    frames = these;
  };
  const repaint = () => void options.paint(current()).catch(fail);
  const reset = () => {
    generation++;
    const wasPlaying = frames !== null;
    pause();
    state.error = null;
    options.rebuild();
    resetSteps();
    repaint();
    if (wasPlaying) play();
  };
  buttons.play.addEventListener('click', () => (frames ? pause() : play()));
  buttons.step.addEventListener('click', () => {
    options
      .step(current())
      .then(() => options.paint(current()))
      .catch(fail);
  });
  buttons.reset.addEventListener('click', reset);
  return { reset, pause, repaint, fail };
}
