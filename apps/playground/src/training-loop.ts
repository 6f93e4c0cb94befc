import { animate } from './dom.js';

/** Steps stop once this much of an animation frame is spent (ms), so the page stays responsive. */
const FRAME_BUDGET_MS = 12;
/** And at this many steps (an asynchronous backend can queue work faster than it runs it). */
const MAX_STEPS_PER_FRAME = 50;

/** Play / pause for a training run: steps on animation frames, then a repaint per frame. */
export interface TrainingLoop {
  readonly playing: boolean;
  play(): void;
  pause(): void;
}

export function createTrainingLoop(options: {
  /** One step; resolves once its results are read. */
  step: () => Promise<void>;
  paint: () => Promise<void>;
  button: HTMLButtonElement;
  onPlayingChange: (playing: boolean) => void;
  onError: (e: unknown) => void;
}): TrainingLoop {
  let frames: { stop(): void } | null = null;
  const setPlaying = (playing: boolean) => {
    options.button.textContent = playing ? 'Pause ⏸' : 'Play ▶';
    options.onPlayingChange(playing);
  };
  const loop: TrainingLoop = {
    get playing() {
      return frames !== null;
    },
    play() {
      if (frames) return;
      setPlaying(true);
      const current = animate(
        async () => {
          const start = performance.now();
          let steps = 0;
          // Pausing (or a reset) mid-frame stops before the next step.
          while (
            frames === current &&
            performance.now() - start < FRAME_BUDGET_MS &&
            steps < MAX_STEPS_PER_FRAME
          ) {
            await options.step();
            steps++;
          }
          await options.paint();
          return true;
        },
        (e) => {
          loop.pause();
          options.onError(e);
        },
      );
      frames = current;
    },
    pause() {
      frames?.stop();
      frames = null;
      setPlaying(false);
    },
  };
  options.button.addEventListener('click', () => (frames ? loop.pause() : loop.play()));
  return loop;
}
