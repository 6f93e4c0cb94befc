// Compiles the kernels before vitest collects the tests (they import src/generated/).
import { buildWasm } from './build-wasm.mjs';

export default async function setup() {
  await buildWasm();
}
