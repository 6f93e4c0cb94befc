import { memory, tensor, use, variable } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math } from '@tapegrad/ops-math';
import { beforeAll, expect, it } from 'vitest';
import { io } from '../src/index.js';

beforeAll(() => {
  use(math);
  use(cpu());
});

it('works on the default engine and does not leak tensors', async () => {
  const w = variable(tensor([1, 2, 3]), true, 'w');
  const before = memory().numTensors;
  const bytes = await io.save({ w });
  expect(memory().numTensors).toBe(before);
  const { w: loaded } = await io.load(bytes);
  expect(loaded!.arraySync()).toEqual([1, 2, 3]);
  loaded!.dispose();
  expect(memory().numTensors).toBe(before);

  const ckpt = await io.saveVariables([w]);
  const zero = tensor([0, 0, 0]);
  w.assign(zero);
  zero.dispose();
  // no variable list: every variable of the default engine
  const result = await io.loadVariables(ckpt);
  expect(result.loaded).toEqual(['w']);
  expect(w.arraySync()).toEqual([1, 2, 3]);
  expect(memory().numTensors).toBe(before);
});
