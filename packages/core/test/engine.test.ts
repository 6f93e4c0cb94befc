import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ArgumentError,
  BackendError,
  DisposedError,
  KernelNotFoundError,
  createEngine,
  createTensor,
  type Backend,
  type Tensor,
} from '../src/index.js';
import { add, exp, mul, refBackend, refEngine, refOps, vals } from './fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('engine registries', () => {
  it('engines are isolated: same op names, separate registries and memory', () => {
    const a = refEngine();
    const b = refEngine();
    const x = createTensor(a, [1]);
    createTensor(b, [1, 2]);
    expect(a.memory().numTensors).toBe(1);
    expect(b.memory().numBytes).toBe(8);
    expect(() => mul(x, createTensor(b, [1]))).toThrow(/belongs to another engine/);
  });

  it('registering the same plugin, op, backend or kernel twice is an error', () => {
    const e = refEngine();
    expect(() => e.use(refOps)).toThrow(/already registered/);
    expect(() => e.use({ ...refOps, name: 'again' })).toThrow(
      /op 'Add' from 'again' is already registered/,
    );
    expect(() => e.use(refBackend())).toThrow(ArgumentError);
    expect(() => e.registerKernel('ref', 'Mul', () => [])).toThrow(
      /already has a kernel for 'Mul'/,
    );
  });

  it('lists ops and which backends have kernels', () => {
    const e = createEngine({
      ops: [refOps],
      backends: [refBackend('fast', 2, ['Mul']), refBackend('ref', 1)],
    });
    expect(e.listOps()).toContain('Mul');
    expect(e.backendsWithKernel('Mul').sort()).toEqual(['fast', 'ref']);
    expect(e.backendsWithKernel('Exp')).toEqual(['ref']);
    expect(e.getBackend()).toBe('fast');
  });

  it('an unregistered op or backend gets a clear error', async () => {
    const e = refEngine();
    expect(() => e.run('Nope', [])).toThrow(KernelNotFoundError);
    expect(() => e.run('Nope', [])).toThrow(/Nope: op is not registered/);
    await expect(e.setBackend('webgpu')).rejects.toThrow(
      /backend 'webgpu' is not registered \(registered: ref\)/,
    );
    const empty = createEngine();
    expect(() => createTensor(empty, [1])).toThrow(BackendError);
    expect(() => createTensor(empty, [1])).toThrow(/no backend is registered/);
  });
});

describe('kernel dispatch and fallback', () => {
  it('falls back to a backend that has the kernel, warns once, and keeps results right', () => {
    const e = createEngine({
      ops: [refOps],
      backends: [refBackend('fast', 2, ['Mul', 'AddN']), refBackend('ref', 1)],
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const x = createTensor(e, [1, 2]);
    expect(vals(exp(mul(x, x)))).toEqual([Math.E, Math.exp(4)].map((v) => Math.fround(v)));
    exp(x);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /Exp has no kernel on 'fast'; running it on 'ref'/,
    );
  });

  it("fallback 'error' names the backends that have the kernel", () => {
    const e = createEngine({
      ops: [refOps],
      backends: [refBackend('fast', 2, ['Mul']), refBackend('ref', 1)],
      flags: { fallback: 'error' },
    });
    expect(() => exp(createTensor(e, [1]))).toThrow(
      /Exp: backend 'fast' has no kernel .*backends that have it: ref/,
    );
  });

  it('no backend with a kernel: KernelNotFoundError', () => {
    const e = createEngine({ ops: [refOps], backends: [refBackend('only', 1, ['AddN'])] });
    expect(() => exp(createTensor(e, [1]))).toThrow(
      /Exp: backend 'only' has no kernel for this op and no other backend has one/,
    );
  });

  it('setBackend moves data lazily between backends', async () => {
    const e = createEngine({ ops: [refOps], backends: [refBackend('a', 1), refBackend('b', 2)] });
    await e.setBackend('a');
    const x = createTensor(e, [2]);
    await e.setBackend('b');
    expect(vals(mul(x, x))).toEqual([4]);
    expect(e.memory().backends['a']!.numBuffers).toBe(0);
  });
});

describe('filled tensors', () => {
  it("use the backend's fill where it has one, a filled typed array otherwise", async () => {
    const base = refBackend('filling', 2);
    const fills: [number, number[], string][] = [];
    const e = createEngine({
      ops: [refOps],
      backends: [
        {
          ...base,
          create: async () => {
            const b = await base.create();
            return {
              ...b,
              fill(value, shape, dtype) {
                fills.push([value, [...shape], dtype]);
                const values = new Float32Array(shape.reduce((p, d) => p * d, 1)).fill(value);
                return b.write(values, shape, dtype);
              },
            } satisfies Backend;
          },
        },
        refBackend('plain', 1),
      ],
    });
    await e.setBackend('filling');
    expect(vals(e.fill([2, 2], 3))).toEqual([3, 3, 3, 3]);
    expect(vals(e.zeros([3]))).toEqual([0, 0, 0]);
    expect(fills).toEqual([
      [3, [2, 2], 'float32'],
      [0, [3], 'float32'],
    ]);
    await e.setBackend('plain');
    expect(vals(e.fill([2], 7))).toEqual([7, 7]);
    expect(fills.length).toBe(2);
  });
});

describe('removeBackend', () => {
  it('disposes the instance and its kernels once no tensor holds data there', async () => {
    const plugin = refBackend('b', 2);
    const e = createEngine({ ops: [refOps], backends: [refBackend('a', 1), plugin] });
    await e.setBackend('b');
    const b = e.findBackend('b');
    let disposed = 0;
    b.dispose = () => void disposed++;
    const x = createTensor(e, [3]);
    expect(() => e.removeBackend('b')).toThrow(
      "removeBackend: backend 'b' still holds 1 buffer(s) of live tensors; dispose them first",
    );
    const square = mul(x, x);
    expect(vals(square)).toEqual([9]); // the failed call changed nothing
    e.dispose([x, square]);
    e.removeBackend('b');
    expect(disposed).toBe(1);
    expect(e.backendsWithKernel('Mul')).toEqual(['a']);
    expect(e.getBackend()).toBe('a'); // the active one was removed: the best remaining
    expect(() => e.removeBackend('b')).toThrow("backend 'b' is not registered (registered: a)");
    e.use(plugin); // the name is free again
    expect(e.backendsWithKernel('Mul')).toEqual(['a', 'b']);
  });

  it('disposes a backend that was still initializing once it exists', async () => {
    let disposed = 0;
    const e = createEngine({ ops: [refOps], backends: [refBackend('a', 1)] });
    let resolve!: (b: Backend) => void;
    e.registerBackend('slow', () => new Promise<Backend>((r) => (resolve = r)), 0);
    const starting = e.setBackend('slow');
    e.removeBackend('slow');
    resolve({ ...e.findBackend('a'), name: 'slow', dispose: () => void disposed++ });
    await expect(starting).rejects.toThrow("backend 'slow' was removed while it was initializing");
    expect(disposed).toBe(1);
    expect(e.getBackend()).toBe('a');
  });
});

describe('errors leave other tensors intact', () => {
  it('a failed op (shape mismatch) does not allocate or corrupt', () => {
    const e = refEngine();
    const a = createTensor(e, [1, 2]);
    const b = createTensor(e, [1, 2, 3]);
    const before = e.memory();
    expect(() => add(a, b)).toThrow(/shapes differ/);
    expect(e.memory()).toEqual(before);
    expect(vals(a)).toEqual([1, 2]);
  });

  it('using a disposed tensor names the op, the argument and who made it', () => {
    const e = refEngine();
    const a = createTensor(e, [1]);
    const b = mul(a, a);
    b.dispose();
    expect(() => mul(a, b)).toThrow(DisposedError);
    expect(() => mul(a, b)).toThrow(/Mul: argument 'b' \(shape \[1\], made by Mul\) was disposed/);
    expect(() => e.run('Mul', [a, 3 as unknown as Tensor])).toThrow(
      /argument 'b' must be a Tensor, got number/,
    );
  });
});

describe('variables', () => {
  it('assign replaces the value; a wrong shape or dtype is rejected and leaves it unchanged', () => {
    const e = refEngine();
    const v = e.variable(createTensor(e, [1, 2]), true, 'v');
    expect(v.requiresGrad).toBe(true);
    v.assign(createTensor(e, [3, 4]));
    expect(vals(v)).toEqual([3, 4]);
    expect(() => v.assign(createTensor(e, [1, 2, 3]))).toThrow(
      /variable 'v' is \[2\] float32; the new value is \[3\] float32/,
    );
    expect(vals(v)).toEqual([3, 4]);
    expect(() => e.variable(createTensor(e, [1]), true, 'v')).toThrow(/already exists/);
    expect(e.variable(createTensor(e, [1]), false).requiresGrad).toBe(false);
  });

  it('variables survive tidy', () => {
    const e = refEngine();
    const v = e.tidy(() => e.variable(createTensor(e, [1])));
    expect(v.isDisposed).toBe(false);
  });
});
