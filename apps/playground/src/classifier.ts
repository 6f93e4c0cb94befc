import * as tg from 'tapegrad';
import type { Optimizer, Tensor, Variable } from 'tapegrad';

/** A model trained by the playground: its variables and logits for a batch of inputs. */
export interface Classifier {
  params: Variable[];
  /** Logits [N, classes]. */
  predict(x: Tensor): Tensor;
}

/** One-hot float32 targets [N, classes]. */
function oneHotTargets(labels: Int32Array, classes: number): Tensor {
  const values = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (values[i * classes + c] = 1));
  return tg.tensor(values, [labels.length, classes]);
}

/** Mean softmax cross-entropy of `logits` against class indices. */
export function crossEntropy(logits: Tensor, labels: Int32Array): Tensor {
  return tg.losses.softmaxCrossEntropy(oneHotTargets(labels, logits.shape[1]!), logits);
}

/**
 * Reads the tensors' values, then disposes them. Asynchronous reads work on every backend,
 * webgpu included (a browser cannot read GPU memory synchronously).
 */
export async function readAndDispose(tensors: Tensor[]): Promise<Float32Array[]> {
  try {
    return await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data(), Number)));
  } finally {
    tg.dispose(tensors);
  }
}

/** One optimizer step on a batch; resolves to the batch loss. Everything it makes is freed. */
export async function trainStep(
  model: Classifier,
  optimizer: Optimizer,
  inputs: () => Tensor,
  labels: Int32Array,
): Promise<number> {
  const cost = tg.tidy(() => {
    const x = inputs();
    return optimizer.minimize(() => crossEntropy(model.predict(x), labels), true, model.params)!;
  });
  const [value] = await readAndDispose([cost]);
  return value![0]!;
}

/** Loss and accuracy on a whole set, without recording a tape. */
export async function evaluate(
  model: Classifier,
  inputs: () => Tensor,
  labels: Int32Array,
): Promise<{ loss: number; accuracy: number }> {
  const outputs = tg.tidy(() =>
    tg.noGrad(() => {
      const logits = model.predict(inputs());
      return [crossEntropy(logits, labels), logits.argMax(1)];
    }),
  );
  const [loss, predicted] = await readAndDispose(outputs);
  let correct = 0;
  labels.forEach((c, i) => (correct += predicted![i] === c ? 1 : 0));
  return { loss: loss![0]!, accuracy: correct / labels.length };
}

/** Disposes a model's variables and its optimizer's state. */
export function disposeTraining(model: Classifier | null, optimizer: Optimizer | null): void {
  optimizer?.dispose();
  model?.params.forEach((p) => p.dispose());
}
