/**
 * Node built-in modules, imported through a computed specifier: browser bundlers (Vite,
 * webpack) then neither try to bundle nor warn about them, and only Node ever loads them.
 */
interface NodeBuiltins {
  fs: typeof import('node:fs');
  os: typeof import('node:os');
  path: typeof import('node:path');
  child_process: typeof import('node:child_process');
  module: typeof import('node:module');
  url: typeof import('node:url');
}

/** Imports the Node built-in `name` (only call it in Node). */
export async function nodeBuiltin<K extends keyof NodeBuiltins>(name: K): Promise<NodeBuiltins[K]> {
  const specifier = `node:${name}`;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as NodeBuiltins[K];
}
