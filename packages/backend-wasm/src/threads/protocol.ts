/**
 * The control block through which the main thread hands kernel calls to a worker: one
 * 256-byte slot per worker in the shared wasm memory (allocated by the backend's heap, so
 * the TypeScript side owns it like every other byte of the layout).
 *
 *   i32[0]  state: STARTING → IDLE → RUN (posted) → BUSY (claimed by the worker) → IDLE …,
 *           or RUN → IDLE when the main thread takes a call back that the worker has not
 *           claimed yet (a worker descheduled on a busy machine never delays a kernel);
 *           EXIT (written by the main thread) stops the worker
 *   i32[1]  index of the export to call (in the export-name list both sides share)
 *   i32[2]  number of arguments
 *   i32[3]  1 when the last call threw
 *   f64[2…] the arguments (pointers and integers; booleans as 0/1)
 */
export const SLOT_BYTES = 256;
export const ARGS_OFFSET = 16;
export const MAX_ARGS = (SLOT_BYTES - ARGS_OFFSET) / 8;

export const STATE = 0;
export const FN = 1;
export const ARGC = 2;
export const FAILED = 3;

export const IDLE = 0;
export const RUN = 1;
export const EXIT = 2;
export const STARTING = 3;
export const BUSY = 4;

/**
 * The worker's program (Node `worker_threads` with `eval`, or a browser `Worker` from a
 * Blob URL). It instantiates the `worker` variant of the module (no data segments: the main
 * instance wrote them; compiled once by the main thread, which posts it) on the shared
 * memory, and after it the relaxed GEMM module where the main thread uses it (its exports
 * replace the plain GEMM's, as on the main thread), then serves calls until EXIT: it sleeps
 * in `Atomics.wait` while IDLE, claims a posted call (RUN → BUSY, unless the main thread
 * took it back), runs it, stores IDLE and wakes the main thread.
 */
export const WORKER_SOURCE = `'use strict';
function serve(d) {
  const ex = Object.assign(
    {},
    ...d.modules.map((m) => new WebAssembly.Instance(m, { env: { memory: d.memory } }).exports),
  );
  const fns = d.names.map((name) => ex[name]);
  const ctl = new Int32Array(d.memory.buffer, d.slot, ${ARGS_OFFSET / 4});
  const args = new Float64Array(d.memory.buffer, d.slot + ${ARGS_OFFSET}, ${MAX_ARGS});
  Atomics.store(ctl, ${STATE}, ${IDLE});
  Atomics.notify(ctl, ${STATE});
  for (;;) {
    Atomics.wait(ctl, ${STATE}, ${IDLE});
    const state = Atomics.load(ctl, ${STATE});
    if (state === ${EXIT}) return;
    if (state !== ${RUN} || Atomics.compareExchange(ctl, ${STATE}, ${RUN}, ${BUSY}) !== ${RUN}) continue;
    try {
      fns[ctl[${FN}]](...args.subarray(0, ctl[${ARGC}]));
      ctl[${FAILED}] = 0;
    } catch (e) {
      ctl[${FAILED}] = 1;
    }
    Atomics.store(ctl, ${STATE}, ${IDLE});
    Atomics.notify(ctl, ${STATE});
  }
}
if (typeof require === 'function') serve(require('node:worker_threads').workerData);
else self.onmessage = (e) => serve(e.data);
`;
