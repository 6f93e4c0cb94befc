import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { convConformance } from '@tapegrad/ops-conv/testing';
import { math } from '@tapegrad/ops-math';
import { wasm } from '../src/index.js';

convConformance({
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
