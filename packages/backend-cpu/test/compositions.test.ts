import { createEngine } from '@tapegrad/core';
import { math, mathOps } from '@tapegrad/ops-math';
import { mathConformance } from '@tapegrad/ops-math/testing';
import { cpu, cpuKernels } from '../src/index.js';

// Ops with a composition run it on backends that lack a dedicated kernel (a new
// backend starts that way). Run the whole suite with those kernels removed, so every
// composition is held to the same numbers as the kernels.
const composed = new Set(mathOps.filter((op) => op.composite).map((op) => op.name));
const primitivesOnly = Object.fromEntries(
  Object.entries(cpuKernels).filter(([name]) => !composed.has(name)),
);

mathConformance({
  backend: 'cpu, compositions instead of kernels',
  createEngine: () =>
    createEngine({ ops: [math], backends: [{ ...cpu(), kernels: primitivesOnly }] }),
});
