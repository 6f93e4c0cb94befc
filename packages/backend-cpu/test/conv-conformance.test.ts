import { createEngine } from '@tapegrad/core';
import { conv } from '@tapegrad/ops-conv';
import { convConformance } from '@tapegrad/ops-conv/testing';
import { math } from '@tapegrad/ops-math';
import { cpu } from '../src/index.js';

convConformance({
  backend: 'cpu',
  createEngine: () => createEngine({ ops: [math, conv], backends: [cpu()] }),
});
