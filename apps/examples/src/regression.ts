/**
 * Fits y = 3x - 2 (+ Gaussian noise, σ = 0.1) by gradient descent on the mean squared
 * error (`train.sgd(lr).minimize`), with a textual progress display. Every step runs inside tidy, so the number
 * of live tensors stays flat: only the data and the two parameters survive a step.
 */
import * as tg from 'tapegrad';
import { expectClose, expectTrue } from './check.js';

const N = 256;
const STEPS = 300;
const LR = 0.1;
const TRUE_W = 3;
const TRUE_B = -2;

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function trainRegression(): void {
  console.log(
    `(iii) linear regression: y = ${TRUE_W}x − ${-TRUE_B} + noise, ${N} points, ${STEPS} steps of gradient descent (lr ${LR})`,
  );
  // Seeded data, so the run is reproducible.
  const [x, y] = tg.tidy(() => {
    const xs = tg.randomUniform([N], -1, 1, 1);
    const noise = tg.randomNormal([N], 0, 0.1, 2);
    return [xs, tg.add(tg.add(tg.mul(xs, TRUE_W), TRUE_B), noise)];
  });
  const w = tg.variable([0], true, 'regression_w');
  const b = tg.variable([0], true, 'regression_b');

  const predict = (): tg.Tensor => tg.add(tg.mul(x, w), b);
  const mse = (): tg.Tensor => {
    const d = tg.sub(predict(), y);
    return tg.div(tg.sum(tg.mul(d, d)), N);
  };

  const optimizer = tg.train.sgd(LR);
  const tensorsAtStart = tg.memory().numTensors;
  const counts: number[] = [];
  let loss = NaN;
  const t0 = performance.now();
  for (let step = 1; step <= STEPS; step++) {
    loss = tg.tidy(() => optimizer.minimize(mse, true, [w, b])!.dataSync()[0]!);
    counts.push(tg.memory().numTensors);
    if (step === 1 || step % 50 === 0) {
      console.log(
        `  ${bar(step / STEPS)} step ${String(step).padStart(3)}/${STEPS}  loss ${loss.toFixed(5)}  ` +
          `w ${w.dataSync()[0]!.toFixed(4)}  b ${b.dataSync()[0]!.toFixed(4)}  live tensors ${tg.memory().numTensors}`,
      );
    }
  }
  const ms = performance.now() - t0;
  const [wv, bv] = [w.dataSync()[0]!, b.dataSync()[0]!];
  console.log(
    `  trained in ${ms.toFixed(0)} ms: final loss ${loss.toFixed(5)} (noise variance 0.01), w = ${wv.toFixed(4)}, b = ${bv.toFixed(4)}`,
  );
  expectClose('learned [w, b] ≈ [3, -2]', [wv, bv], [TRUE_W, TRUE_B], 0.05);
  expectTrue(`final loss ${loss.toFixed(5)} < 0.02`, loss < 0.02);
  expectTrue(
    `live tensors flat across ${STEPS} steps (${tensorsAtStart} before, min ${Math.min(...counts)}, max ${Math.max(...counts)})`,
    counts.every((c) => c === tensorsAtStart),
  );
  optimizer.dispose();
  tg.dispose([x, y, w, b]);
}
