import { animate } from './dom.js';

/** Steps stop once this much of an animation frame is spent (ms), so the page stays responsive. */
const FRAME_BUDGET_MS = 12;

/** Play / pause / step for a training run: steps on animation frames, then a repaint per frame. */
export interface TrainingLoop {
  readonly playing: boolean;
  play(): void;
  pause(): void;
  toggle(): void;
}

export function createTrainingLoop(options: {
  step: () => void;
  paint: () => void;
  button: HTMLButtonElement;
  onPlayingChange: (playing: boolean) => void;
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
      frames = animate(() => {
        const start = performance.now();
        do options.step();
        while (performance.now() - start < FRAME_BUDGET_MS);
        options.paint();
        return true;
      });
    },
    pause() {
      frames?.stop();
      frames = null;
      setPlaying(false);
    },
    toggle() {
      if (frames) loop.pause();
      else loop.play();
    },
  };
  options.button.addEventListener('click', loop.toggle);
  return loop;
}
