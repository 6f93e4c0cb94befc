import { convConformance } from '@tapegrad/ops-conv/testing';
import { wasmEngine } from './engines.js';

// On 1 thread, and on 2 with every kernel split however small (threadGrain 0), so the
// threaded paths see every shape of the suite.
for (const threads of [1, 2]) {
  convConformance({
    backend: threads === 1 ? 'wasm' : 'wasm, 2 threads',
    createEngine: () => wasmEngine({ threads, threadGrain: 0 }),
  });
}
