/**
 * Writes docs/coverage.md from the registries (see scripts/coverage/matrix.ts).
 *   tsx scripts/coverage-matrix.ts          # regenerate the page
 *   tsx scripts/coverage-matrix.ts --check  # exit 1 if the page is stale or a gradient is missing
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeCoverage, coverageProblems, renderCoverage } from './coverage/matrix.js';

const page = fileURLToPath(new URL('../docs/coverage.md', import.meta.url));
const cov = await computeCoverage();
const text = await renderCoverage(cov);
const problems = coverageProblems(cov);
for (const p of problems) console.error(`coverage: ${p}`);

if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(page, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (old !== text) {
    console.error('coverage: docs/coverage.md is stale; run `pnpm docs:coverage` and commit it');
    process.exitCode = 1;
  }
} else {
  writeFileSync(page, text);
  console.log(`coverage: wrote docs/coverage.md (${cov.ops.length} ops)`);
}
if (problems.length) process.exitCode = 1;
