/** (e) Op-dispatch overhead: add on 2x2 tensors, many per tidy scope. */
import { tf, tg } from '../libs.js';
import { add } from 'tapegrad';
import { NotExpressible } from '../workload.js';
import type { Workload } from '../workload.js';

/** adds per timed call (one tidy scope around them, as a training step would have). */
const ADDS = 1000;

export function dispatchWorkloads(): Workload[] {
  const a = new Float32Array([1, 2, 3, 4]);
  const b = new Float32Array([0.5, -1, 2, 0.25]);
  return [
    {
      group: 'dispatch',
      name: `add 2x2 (${ADDS} per tidy)`,
      opsPerRun: ADDS,
      torch: 'dispatch_add',
      rtol: 1e-6,
      inputs: { a: { values: a, shape: [2, 2] }, b: { values: b, shape: [2, 2] } },
      setup: {
        tapegrad: () => {
          const A = tg.tensor(a, [2, 2]);
          const B = tg.tensor(b, [2, 2]);
          const run = () =>
            tg.tidy(() => {
              for (let i = 0; i < ADDS; i++) add(A, B);
            });
          const check = () => tg.tidy(() => add(A, B).dataSync()[3]!);
          return { run, check, dispose: () => tg.dispose([A, B]) };
        },
        tfjs: () => {
          const A = tf.tensor(a, [2, 2]);
          const B = tf.tensor(b, [2, 2]);
          const run = () =>
            tf.tidy(() => {
              for (let i = 0; i < ADDS; i++) tf.add(A, B);
            });
          const check = () => tf.tidy(() => tf.add(A, B).dataSync()[3]!);
          return { run, check, dispose: () => tf.dispose([A, B]) };
        },
        // jax-js evaluates lazily: an add whose result is disposed unread never runs (its
        // kernel is queued until something reads it), so there is no per-op dispatch to
        // time; reading every result back would time the reads instead.
        jax: () => {
          throw new NotExpressible('lazy: unread adds never run');
        },
      },
    },
  ];
}
