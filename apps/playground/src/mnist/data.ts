import subsetUrl from './mnist-subset.bin?url';
import { parseSubset, type Split } from './parse.js';

/** Fetches and gunzips the subset bundled with the app (~400 kB). */
export async function loadSubset(): Promise<{ train: Split; test: Split }> {
  const response = await fetch(subsetUrl);
  if (!response.ok || !response.body) {
    throw new Error(`mnist subset: ${subsetUrl} answered ${response.status}`);
  }
  const unzipped = response.body.pipeThrough(new DecompressionStream('gzip'));
  return parseSubset(new Uint8Array(await new Response(unzipped).arrayBuffer()));
}
