import * as tg from 'tapegrad';
import type { Tensor } from 'tapegrad';

/** What the user's code is called with: `tg` (tapegrad) and `label(tensor, name)`. */
export type UserFunction = (
  tgArg: typeof tg,
  labelArg: (t: Tensor, name: string) => Tensor,
) => unknown;

const BODY_PREFIX = '"use strict";\n';

// The user's frame can sit below many library frames; V8 keeps only 10 by default.
(Error as { stackTraceLimit?: number }).stackTraceLimit = 100;

/** Compiles the editor's code into a function of `tg` and `label` (throws SyntaxError). */
export function compileUserCode(code: string): UserFunction {
  // Running the user's code is the point of a playground.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('tg', 'label', `${BODY_PREFIX}${code}`) as UserFunction;
}

const stackLine = (e: unknown): number | null => {
  const match = e instanceof Error ? /<anonymous>:(\d+):\d+/.exec(e.stack ?? '') : null;
  return match ? Number(match[1]) : null;
};

/** The line, in the compiled function's source, of the code's first line (engine-specific). */
const firstLine: number | null = (() => {
  try {
    compileUserCode('throw new Error("calibration");')(tg, (t) => t);
  } catch (e) {
    return stackLine(e);
  }
  return null;
})();

/** The 1-based line of the user's code where `e` was thrown, when its stack says so. */
export function errorLine(e: unknown): number | null {
  const line = stackLine(e);
  return line === null || firstLine === null || line < firstLine ? null : line - firstLine + 1;
}

/** An error as the playground shows it: `Name: message`. */
export const errorMessage = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}` : String(e);

/** Formats console arguments the way the browser console would, tensors included. */
function format(args: unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof tg.Tensor) return a.toString();
      if (typeof a === 'string') return a;
      if (a instanceof Error) return a.message;
      try {
        return JSON.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

/** Runs `fn` with console.log/info/warn (and so `t.print()`) captured into `logs`. */
export function withCapturedConsole<T>(logs: string[], fn: () => T): T {
  const saved = { log: console.log, info: console.info, warn: console.warn };
  console.log = (...args: unknown[]) => void logs.push(format(args));
  console.info = console.log;
  console.warn = (...args: unknown[]) => void logs.push(`warning: ${format(args)}`);
  try {
    return fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** Runs `fn`, then disposes the variables it created (the user's code may make some every run). */
export function disposingNewVariables<T>(fn: () => T): T {
  const engine = tg.getDefaultEngine();
  const before = new Set(engine.variables.values());
  try {
    return fn();
  } finally {
    for (const v of [...engine.variables.values()]) if (!before.has(v)) v.dispose();
  }
}
