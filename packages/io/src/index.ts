/**
 * @tapegrad/io: checkpoints in the safetensors format, in Node and browsers.
 *
 *   await io.save({ w, b }, 'model.safetensors');
 *   const { w, b } = await io.load('model.safetensors');
 *   await io.saveVariables([w, b], 'ckpt.safetensors', { optimizer });
 *   await io.loadVariables('ckpt.safetensors', [w, b], { optimizer });
 */
import { CheckpointError } from './errors.js';
import { decodeSafetensors, encodeSafetensors, parseSafetensors } from './format.js';
import { inspect, load, save } from './load-save.js';
import { loadVariables, saveVariables } from './variables.js';

export { CheckpointError } from './errors.js';
export type { ErrorContext } from './errors.js';
export { LOADABLE_DTYPES, SAVE_CODES } from './dtypes.js';
export type { SafetensorsDtype } from './dtypes.js';
export { decodeSafetensors, encodeSafetensors, parseSafetensors } from './format.js';
export type { DecodedSafetensors, HeaderEntry, ParsedSafetensors, RawTensor } from './format.js';
export { inspect, load, save } from './load-save.js';
export type { LoadOptions, SaveOptions, TensorInfoEntry } from './load-save.js';
export type { LoadSource, SaveTarget } from './source.js';
export { OPTIMIZER_PREFIX, loadVariables, saveVariables } from './variables.js';
export type {
  LoadVariablesOptions,
  LoadVariablesResult,
  NamedTensor,
  OptimizerLike,
  SaveVariablesOptions,
  VariableList,
} from './variables.js';

/** The whole API as one namespace: `io.save`, `io.load`, `io.saveVariables`, ... */
export const io = {
  save,
  load,
  inspect,
  saveVariables,
  loadVariables,
  encodeSafetensors,
  decodeSafetensors,
  parseSafetensors,
  CheckpointError,
} as const;
