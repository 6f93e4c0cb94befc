/**
 * tapegrad examples: the two seed examples with the numbers they must give, then a
 * tiny regression trained with a progress display. Exits non-zero if a number is wrong.
 */
import * as tg from 'tapegrad';
import { expectTrue, failureCount } from './check.js';
import { trainRegression } from './regression.js';
import { seedGradientStep, seedPartials } from './seeds.js';

function section(run: () => void): void {
  try {
    run();
  } catch (e) {
    // An op that has not landed, or a wrong shape: report it and carry on with the others.
    expectTrue(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, false);
  }
  console.log();
}

async function main(): Promise<void> {
  await tg.ready();
  console.log(`tapegrad examples (backend '${tg.getBackend()}', node ${process.version})\n`);
  const before = tg.memory().numTensors;
  section(seedGradientStep);
  section(seedPartials);
  section(trainRegression);
  const after = tg.memory().numTensors;
  expectTrue(`no tensors left behind (${before} live before, ${after} after)`, after === before);
  const failures = failureCount();
  console.log(failures === 0 ? '\nall checks passed' : `\n${failures} check(s) FAILED`);
  if (failures > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
