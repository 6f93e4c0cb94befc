import { TapegradError } from '@tapegrad/core';

/**
 * A checkpoint could not be read, written or applied: a malformed or truncated
 * safetensors file, a tensor whose dtype or shape does not match the variable it
 * should load into, a missing entry, or a source that could not be read.
 * The message names the operation, the file or source, the tensor and the problem.
 *
 * @example
 * ```ts
 * try {
 *   decodeSafetensors(new Uint8Array([1, 2, 3]));
 * } catch (e) {
 *   console.log(e instanceof CheckpointError); // true: a truncated file
 * }
 * ```
 */
export class CheckpointError extends TapegradError {
  override name = 'CheckpointError';
  /** The file, URL or other source involved (as shown in the message). */
  readonly source: string | undefined;
  /** The tensor or variable the problem is about, when there is a single one. */
  readonly tensorName: string | undefined;

  constructor(
    message: string,
    options: { source?: string; tensorName?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.source = options.source;
    this.tensorName = options.tensorName;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** Where an error happened: the public function and a description of its file or source. */
export interface ErrorContext {
  op: string;
  source: string;
}

export function checkpointError(
  ctx: ErrorContext,
  problem: string,
  tensorName?: string,
  cause?: unknown,
): CheckpointError {
  return new CheckpointError(`${ctx.op}(${ctx.source}): ${problem}`, {
    source: ctx.source,
    tensorName,
    cause,
  });
}

/** Quotes a tensor name for messages: `'dense/kernel'`. */
export function q(name: string): string {
  return `'${name}'`;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
