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

/** One optimizer step on a batch; returns the batch loss. Everything it makes is freed (tidy). */
export function trainStep(
  model: Classifier,
  optimizer: Optimizer,
  inputs: () => Tensor,
  labels: Int32Array,
): number {
  return tg.tidy(() => {
    const x = inputs();
    const cost = optimizer.minimize(
      () => crossEntropy(model.predict(x), labels),
      true,
      model.params,
    );
    return cost!.dataSync()[0]!;
  });
}

/** Loss and accuracy on a whole set, without recording a tape. */
export function evaluate(
  model: Classifier,
  inputs: () => Tensor,
  labels: Int32Array,
): { loss: number; accuracy: number } {
  return tg.tidy(() =>
    tg.noGrad(() => {
      const logits = model.predict(inputs());
      const loss = crossEntropy(logits, labels).dataSync()[0]!;
      const predicted = logits.argMax(1).dataSync();
      let correct = 0;
      labels.forEach((c, i) => (correct += Number(predicted[i]) === c ? 1 : 0));
      return { loss, accuracy: correct / labels.length };
    }),
  );
}

/** Disposes a model's variables and its optimizer's state. */
export function disposeTraining(model: Classifier | null, optimizer: Optimizer | null): void {
  optimizer?.dispose();
  model?.params.forEach((p) => p.dispose());
}
