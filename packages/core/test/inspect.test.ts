import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DisposedError,
  createTensor,
  inspectTape,
  type Tensor,
  type TapeOp,
} from '../src/index.js';
import { add, mul, refEngine, vals } from './fixtures.js';

const e = refEngine();
const T = (v: number | number[]) => createTensor(e, v);
const leaf = (v: number | number[]) => T(v).requiresGrad_();

/** f(x, y) = x·x·y + y + 2: Mul, Mul, Add, Add. */
function seed() {
  const x = leaf(3);
  const y = leaf(4);
  const two = T(2);
  const f = add(add(mul(mul(x, x), y), y), two);
  return { x, y, two, f };
}

describe('inspectTape', () => {
  it('lists the ops of the seed function inputs first, with their sources, values and leaves', () => {
    const { x, y, two, f } = seed();
    const { ops, leaves, outputs } = inspectTape(f);
    expect(ops.map((op) => op.opName)).toEqual(['Mul', 'Mul', 'Add', 'Add']);
    expect(ops.map((op) => op.id)).toEqual([...ops.map((op) => op.id)].sort((a, b) => a - b));
    const [xx, xxy, sum, out] = ops as [TapeOp, TapeOp, TapeOp, TapeOp];
    // x·x reads the leaf x twice.
    expect(xx.inputs.map((s) => (s.kind === 'leaf' ? s.leaf : null))).toEqual([x, x]);
    // (x·x)·y reads the first op's output 0 and the leaf y.
    const [fromOp, fromLeaf] = xxy.inputs;
    expect(fromOp).toMatchObject({ kind: 'op', op: xx, outputIndex: 0 });
    expect(fromLeaf).toMatchObject({ kind: 'leaf', leaf: y });
    expect(sum.inputs[0]).toMatchObject({ kind: 'op', op: xxy });
    expect(out.inputs[1]).toMatchObject({ kind: 'leaf', leaf: two });
    // Values: 9, 36, 40, 42.
    expect(ops.map((op) => vals(op.outputs[0]!))).toEqual([[9], [36], [40], [42]]);
    expect(leaves).toEqual([x, y, two]);
    expect(outputs).toEqual([{ kind: 'op', op: out, outputIndex: 0, value: f }]);
  });

  it("a leaf's saved value stays readable after the leaf is disposed", () => {
    const x = leaf(3);
    const constant = T(5);
    const y = mul(x, constant);
    constant.dispose();
    const source = inspectTape(y).ops[0]!.inputs[1]!;
    expect(source.kind).toBe('leaf');
    expect(vals(source.value)).toEqual([5]);
  });

  it('onGrad sees the gradient at every op output, and may replace it', () => {
    const { x, y, f } = seed();
    const { ops } = inspectTape(f);
    const seen: number[][] = [];
    ops.forEach((op, i) => op.onGrad(0, (g) => void (seen[i] = vals(g))));
    f.backward(undefined, { retainGraph: true });
    // ∂f/∂(x·x) = y = 4, every other op output gets 1.
    expect(seen).toEqual([[4], [1], [1], [1]]);
    expect(vals(x.grad!)).toEqual([24]);
    expect(vals(y.grad!)).toEqual([10]);

    // A hook that zeroes ∂f/∂(x·x) cuts x off; removing it restores the gradient.
    const { remove } = ops[0]!.onGrad(0, (g) => mul(g, T(0)));
    x.grad = null;
    f.backward(undefined, { retainGraph: true });
    expect(vals(x.grad!)).toEqual([0]);
    remove();
    x.grad = null;
    f.backward();
    expect(vals(x.grad!)).toEqual([24]);
  });

  it('an op used twice appears once; several outputs share the walk', () => {
    const a = leaf([1, 2]);
    const sq = mul(a, a);
    const z = add(sq, sq);
    const w = mul(sq, T([3, 3]));
    const { ops, outputs } = inspectTape([z, w]);
    expect(ops.map((op) => op.opName)).toEqual(['Mul', 'Add', 'Mul']);
    const [first, addOp] = ops as [TapeOp, TapeOp];
    expect(addOp.inputs.map((s) => (s.kind === 'op' ? s.op : null))).toEqual([first, first]);
    expect(outputs.map((s) => (s.kind === 'op' ? s.op.opName : s.kind))).toEqual(['Add', 'Mul']);
  });

  it('a leaf output has no ops; a deep chain does not overflow the stack', () => {
    const x = leaf(1);
    expect(inspectTape(x)).toEqual({
      ops: [],
      leaves: [x],
      outputs: [{ kind: 'leaf', leaf: x, value: x }],
    });
    let y: Tensor = x;
    for (let i = 0; i < 12_000; i++) y = add(y, x);
    const { ops, leaves } = inspectTape(y);
    expect(ops).toHaveLength(12_000);
    expect(leaves).toEqual([x]);
  });

  it('bad arguments get clear errors', () => {
    const { f } = seed();
    const op = inspectTape(f).ops[0]!;
    expect(() => op.onGrad(1, () => undefined)).toThrow(ArgumentError);
    expect(() => op.onGrad(1, () => undefined)).toThrow(/Mul has 1 output\(s\); got index 1/);
    expect(() => inspectTape(42 as unknown as Tensor)).toThrow(/outputs\[0\] is not a tensor/);
    const gone = T(1);
    gone.dispose();
    expect(() => inspectTape([f, gone])).toThrow(DisposedError);
  });
});
