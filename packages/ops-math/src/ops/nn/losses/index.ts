import { absoluteDifference } from './absolute-difference.js';
import { computeWeightedLoss } from './compute-weighted-loss.js';
import { cosineDistance } from './cosine-distance.js';
import { hingeLoss } from './hinge-loss.js';
import { huberLoss } from './huber-loss.js';
import { logLoss } from './log-loss.js';
import { meanSquaredError } from './mean-squared-error.js';
import { sigmoidCrossEntropy } from './sigmoid-cross-entropy.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

export { Reduction } from './compute-weighted-loss.js';

/** Losses with tfjs.losses names and signatures. */
export const losses = {
  absoluteDifference,
  computeWeightedLoss,
  cosineDistance,
  hingeLoss,
  huberLoss,
  logLoss,
  meanSquaredError,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
};
