import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { mathConformance } from '@tapegrad/ops-math/testing';
import { wasm } from '../src/index.js';

mathConformance({
  backend: 'wasm',
  createEngine: async () => {
    const engine = createEngine({
      ops: [math, conv],
      backends: [wasm(), cpu()],
      flags: { fallback: 'silent' },
    });
    await engine.setBackend('wasm');
    return engine;
  },
});
