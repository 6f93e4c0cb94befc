import { createEngine } from '@tapegrad/core';
import { math } from '@tapegrad/ops-math';
import { mathConformance } from '@tapegrad/ops-math/testing';
import { cpu } from '../src/index.js';

mathConformance({
  backend: 'cpu',
  createEngine: () => createEngine({ ops: [math], backends: [cpu()] }),
});
