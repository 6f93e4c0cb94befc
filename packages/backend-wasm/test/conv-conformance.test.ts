import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { convConformance } from '@tapegrad/ops-conv/testing';
import { math } from '@tapegrad/ops-math';
import { wasm } from '../src/index.js';

// On 1 thread, and on 2 with every kernel split however small (threadGrain 0), so the
// threaded paths see every shape of the suite.
for (const threads of [1, 2]) {
  convConformance({
    backend: threads === 1 ? 'wasm' : 'wasm, 2 threads',
    createEngine: async () => {
      const engine = createEngine({
        ops: [math, conv],
        backends: [wasm({ threads, threadGrain: 0 }), cpu()],
        flags: { fallback: 'silent' },
      });
      await engine.setBackend('wasm');
      return engine;
    },
  });
}
