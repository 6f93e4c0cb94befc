/** The seed examples. Code runs with `tg` (tapegrad) and `label(t, name)` in scope and returns the output. */
export interface Preset {
  id: string;
  title: string;
  code: string;
}

export const presets: readonly Preset[] = [
  {
    id: 'fxy',
    title: 'f(x, y) = x²y + y + 2',
    code: `// f(x, y) = x²y + y + 2 at (3, 4): ∂f/∂x = 2xy = 24, ∂f/∂y = x² + 1 = 10
const x = label(tg.scalar(3).requiresGrad_(), 'x');
const y = label(tg.scalar(4).requiresGrad_(), 'y');
const f = x.square().mul(y).add(y).add(2);
console.log('f =', f.dataSync()[0]);
return label(f, 'f'); // the playground calls f.backward()
`,
  },
  {
    id: 'wx',
    title: 'Y = w·X, cost = Y[1]·Y',
    code: `// Y = w·X, cost = Y[1]·Y (a vector; its sum is differentiated): w.grad = [6, 28]
const w = label(tg.variable([2, 3]), 'w');
const X = label(tg.tensor([-1, -2]), 'X');
const Y = w.mul(X);
const cost = Y.slice([1], [1]).mul(Y);
return label(cost.sum(), 'cost');
`,
  },
];

export const defaultPreset = presets[0]!;

export function findPreset(id: string | null | undefined): Preset | undefined {
  return presets.find((p) => p.id === id);
}
