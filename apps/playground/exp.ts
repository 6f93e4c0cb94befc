import * as tg from 'tapegrad';
import { Random } from 'tapegrad';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { evaluate, trainStep } from './src/classifier.js';
import { parseSubset } from './src/mnist/parse.js';
import { createCnn } from './src/mnist/model.js';
import { makeOptimizer } from './src/optimizers.js';
await tg.ready();
const { train, test } = parseSubset(gunzipSync(readFileSync('src/mnist/mnist-subset.bin')));
for (const [opt, lr] of [['adam', 0.003], ['adam', 0.01]] as const) {
  const model = createCnn(1); const o = makeOptimizer(opt, lr); const rng = new Random(2); const B = 32;
  const out: string[] = []; const t0 = performance.now();
  for (let s = 1; s <= 100; s++) {
    const imgs = new Float32Array(B*784); const lab = new Int32Array(B);
    for (let k=0;k<B;k++){const i=Math.floor(rng.uniform()*train.count); imgs.set(train.images.subarray(i*784,(i+1)*784),k*784); lab[k]=train.labels[i]!;}
    trainStep(model, o, () => tg.tensor(imgs,[B,28,28,1]), lab);
    if ([10,20,30,50,100].includes(s)) { const e = evaluate(model, () => tg.tensor(test.images,[test.count,28,28,1]), test.labels); out.push(`${s}:${e.accuracy.toFixed(2)}`); }
  }
  console.log(opt, lr, out.join(' '), ((performance.now()-t0)/100).toFixed(1), 'ms/step incl eval');
}
