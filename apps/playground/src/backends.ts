import * as tg from 'tapegrad';

/** A backend the switcher offers, and why it is unavailable where it is. */
export interface BackendChoice {
  name: string;
  available: boolean;
  reason: string;
}

/** The backend the views that read every value synchronously use when the active one cannot. */
export const SYNC_BACKEND = 'wasm';

const readsSync = new Map<string, boolean>();

/**
 * Whether the active backend can read a computed result synchronously (webgpu in a browser
 * cannot: GPU memory is read with `await data()`). Probed once per backend.
 */
function activeReadsSync(): boolean {
  const name = tg.getBackend();
  let known = readsSync.get(name);
  if (known === undefined) {
    known = tg.tidy(() => {
      try {
        tg.scalar(1).add(1).dataSync();
        return true;
      } catch {
        return false;
      }
    });
    readsSync.set(name, known);
  }
  return known;
}

/**
 * Runs `fn` on a backend with synchronous reads: the active one, or wasm while the active one
 * has none (webgpu). The tape view, gradcheck and the optimizer race read every value as they
 * go; the training tabs read asynchronously and run on any backend.
 */
export function withSyncReads<T>(fn: () => T): T {
  if (activeReadsSync()) return fn();
  const engine = tg.getDefaultEngine();
  const active = engine.getBackend();
  engine.setBackendSync(SYNC_BACKEND);
  try {
    return fn();
  } finally {
    engine.setBackendSync(active);
  }
}

const registered = (name: string) => tg.getDefaultEngine().plugins.has(`backend:${name}`);

/** cpu and wasm; webgpu where the page gets an adapter and tapegrad registers the backend. */
export async function listBackends(): Promise<BackendChoice[]> {
  const list = ['cpu', 'wasm'].map((name) => ({
    name,
    available: registered(name),
    reason: registered(name) ? '' : 'not registered',
  }));
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  let reason = '';
  if (!gpu) reason = 'this browser has no navigator.gpu';
  else if (!(await gpu.requestAdapter().catch(() => null)))
    reason = 'navigator.gpu gives no adapter';
  else if (!registered('webgpu')) reason = 'this build of tapegrad does not register webgpu';
  list.push({ name: 'webgpu', available: reason === '', reason });
  return list;
}
