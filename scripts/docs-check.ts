/**
 * The API docs of the published packages, checked on TypeDoc's conversion of them
 * (docs/typedoc.check.json, no output):
 *   1. every exported function and class has a one-line summary (TypeDoc's
 *      `validation.notDocumented`; members and properties are counted, not failed on);
 *   2. every exported function and class, and every callable member of an exported
 *      namespace object (`losses.huberLoss`), has an `@example` (missing ones are listed by
 *      package);
 *   3. every example runs, against the sources, and matches its result comments
 *      (scripts/docs-examples.ts; rules in CONTRIBUTING.md, "Writing examples").
 *
 *   tsx scripts/docs-check.ts [--only <text>] [--verbose]
 *     --only   run the examples whose package or name contains <text> (skips 1 and 2)
 *     --verbose  print each example's result and output
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import {
  collectDocItems,
  exportsByPackage,
  runExamples,
  typecheckExamples,
} from './docs-examples.ts';
import { repoRoot } from './published.ts';

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const verbose = argv.includes('--verbose');

process.chdir(join(repoRoot, 'docs'));
const app = await Application.bootstrapWithPlugins(
  { options: 'typedoc.check.json', logLevel: 'Warn' },
  [new TypeDocReader(), new TSConfigReader()],
);
const warnings: string[] = [];
const log = app.logger.log.bind(app.logger);
app.logger.log = (message: string, level: LogLevel) => {
  if (level === LogLevel.Warn)
    warnings.push(message.replace(/\x1b\[[0-9;]*m/g, '').replace(/^\[warning\] /, ''));
  else log(message, level);
};
const project = await app.convert();
if (!project) {
  console.error('docs-check: TypeDoc could not convert the packages (errors above)');
  process.exit(1);
}
const items = collectDocItems(project);
let failed = false;

if (!only) {
  // ---- 1. summaries
  app.validate(project);
  const undocumented = warnings
    .map((w) => /^(\S+) \((\w+)\), defined in (\S+), does not have any documentation/.exec(w))
    .filter((m) => m !== null);
  const topLevel = undocumented.filter(
    (m) => !m[1]!.includes('.') && ['CallSignature', 'Class', 'Function'].includes(m[2]!),
  );
  for (const w of warnings) {
    const m = /^(.*) is referenced by (.*) but not included/.exec(w);
    if (m) console.log(`note: ${m[1]} is referenced by ${m[2]} but not exported`);
  }
  console.log(
    `docs-check: ${undocumented.length - topLevel.length} members/properties without a doc comment (not failed on)`,
  );
  if (topLevel.length) {
    const byFile = new Map<string, string[]>();
    for (const m of topLevel) byFile.set(m[3]!, [...(byFile.get(m[3]!) ?? []), m[1]!]);
    console.error(
      `docs-check: ${topLevel.length} exported functions/classes without a one-line summary:`,
    );
    for (const [file, names] of byFile) console.error(`  ${file}: ${names.join(', ')}`);
    failed = true;
  } else console.log('docs-check: every exported function and class has a summary');

  // ---- 2. an example on each
  const missing = new Map<string, string[]>();
  for (const item of items) {
    if (!item.examples.length && !item.optional)
      missing.set(item.pkg, [...(missing.get(item.pkg) ?? []), item.name]);
  }
  if (missing.size) {
    const n = [...missing.values()].flat().length;
    console.error(`docs-check: ${n} exported functions/classes without an @example:`);
    for (const [pkg, names] of missing)
      console.error(`  ${pkg} (${names.length}): ${names.join(', ')}`);
    failed = true;
  } else console.log('docs-check: every exported function and class has an @example');
}

// ---- 3. run them
const selected = only
  ? items.filter((i) => `${i.pkg} ${i.name}`.includes(only))
  : items.filter((i) => i.examples.length);
const dir = mkdtempSync(join(tmpdir(), 'tapegrad-doc-examples-'));
const started = performance.now();
try {
  // The checker checks itself: a right result comment passes, a wrong one fails.
  const canary = (name: string, comment: string) => ({
    pkg: '@tapegrad/ops-math',
    name,
    summary: true,
    examples: [`add(tensor([1, 2]), 0.5).print(); // ${comment}`],
  });
  const self = await runExamples(
    [canary('self-test-right', '[1.5, 2.5]'), canary('self-test-wrong', '[1.5, 3.5]')],
    exportsByPackage(project),
    dir,
  );
  if (self.failures.length !== 1 || !self.failures[0]!.where.includes('self-test-wrong')) {
    console.error('docs-check: the example runner no longer tells right from wrong results:');
    for (const f of self.failures) console.error(`  ${f.where}: ${f.message}`);
    process.exit(1);
  }
  const { failures, ran, checks } = await runExamples(
    selected,
    exportsByPackage(project),
    dir,
    verbose
      ? (where, ok, output) =>
          console.log(
            `${ok ? 'ok  ' : 'FAIL'} ${where}${output ? `\n${output.replace(/^/gm, '    | ')}` : ''}`,
          )
      : undefined,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.error(`docs-check: ${failures.length} of ${ran} examples failed:`);
    for (const f of failures) {
      console.error(`  ${f.where}: ${f.message}`);
      if (f.output) console.error(f.output.replace(/^/gm, '    | '));
    }
    failed = true;
  } else
    console.log(
      `docs-check: ${ran} examples ran, ${checks} result comments matched (${seconds} s)`,
    );
  // ---- 4. and they compile
  const typeStarted = performance.now();
  const typeErrors = typecheckExamples(selected, exportsByPackage(project), dir);
  const typeSeconds = ((performance.now() - typeStarted) / 1000).toFixed(1);
  if (typeErrors.length) {
    console.error(`docs-check: ${typeErrors.length} type errors in examples:`);
    for (const e of typeErrors) console.error(`  ${e}`);
    failed = true;
  } else console.log(`docs-check: the examples type-check (${typeSeconds} s)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
