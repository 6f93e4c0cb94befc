/**
 * Package hygiene of every published package:
 *   1. build them (turbo; cached when nothing changed)            --no-build skips
 *   2. package.json fields: exports (ESM + CJS + types for every entry), files,
 *      sideEffects (false except the umbrella, which registers), engines, license;
 *      a README with an install line and an example
 *   3. `pnpm pack` each one, then publint --strict and attw (strict profile) on the tarball
 *   4. the consumer test: tarballs installed into scratch projects, seed examples from
 *      ESM and CJS (apps/consumer-test, `test:consumer`)                --no-consumer skips
 *
 *   tsx scripts/check-packages.ts [--no-build] [--no-consumer]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, pnpmCommand, publishedPackages, repoRoot } from './published.ts';

const args = new Set(process.argv.slice(2));
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
const problems: string[] = [];
const packages = publishedPackages();

function run(cmd: string, argv: string[], cwd = repoRoot): boolean {
  try {
    execFileSync(cmd, argv, { cwd, stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

const [pnpm, pnpmPre] = pnpmCommand();

if (!args.has('--no-build')) {
  console.log('check-packages: building the published packages');
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  if (
    !run(pnpm, [
      ...pnpmPre,
      'exec',
      'turbo',
      'run',
      'build',
      ...filters,
      '--output-logs=errors-only',
    ])
  ) {
    console.error('check-packages: build failed');
    process.exit(1);
  }
}

// ---- package.json fields and README
type Conditions = {
  import?: { types?: string; default?: string };
  require?: { types?: string; default?: string };
};
for (const p of packages) {
  const pkg = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const where = `${p.name} (packages/${p.dir.split('/').at(-1)})`;
  const exportsMap = pkg.exports as Record<string, Conditions | string> | undefined;
  if (!exportsMap || typeof exportsMap !== 'object') problems.push(`${where}: no "exports"`);
  else {
    for (const [entry, c] of Object.entries(exportsMap)) {
      if (entry === './package.json') continue;
      if (
        typeof c === 'string' ||
        !c.import?.types ||
        !c.import.default ||
        !c.require?.types ||
        !c.require.default
      )
        problems.push(
          `${where}: exports["${entry}"] needs import and require, each with types and default`,
        );
    }
    if (!exportsMap['./package.json']) problems.push(`${where}: exports lacks "./package.json"`);
  }
  if (!Array.isArray(pkg.files) || pkg.files.length === 0) problems.push(`${where}: no "files"`);
  if (p.name !== 'tapegrad' && pkg.sideEffects !== false)
    problems.push(`${where}: "sideEffects" must be false (importing must register nothing)`);
  if (p.name === 'tapegrad' && pkg.sideEffects === false)
    problems.push(
      `${where}: the umbrella registers the defaults on import; "sideEffects" must not be false`,
    );
  if (!(pkg.engines as Record<string, string> | undefined)?.node)
    problems.push(`${where}: no "engines.node"`);
  if (pkg.license !== 'MIT') problems.push(`${where}: "license" should be "MIT"`);
  if (pkg.private) problems.push(`${where}: is private`);
  const readme = join(p.dir, 'README.md');
  if (!existsSync(readme)) problems.push(`${where}: no README.md`);
  else {
    const text = readFileSync(readme, 'utf8');
    if (!new RegExp(`(npm|pnpm) (install|add) [^\\n]*${p.name.replace('/', '\\/')}`).test(text))
      problems.push(`${where}: README has no install line for ${p.name}`);
    if (!/```(ts|js|typescript|javascript)\n[\s\S]*?import [\s\S]*?```/.test(text))
      problems.push(`${where}: README has no code example with an import`);
  }
}

// ---- publint and attw on the packed tarballs
const dest = mkdtempSync(join(tmpdir(), 'tapegrad-pack-'));
try {
  console.log('check-packages: pnpm pack');
  const tarballs = packAll(dest);
  for (const [name, tgz] of Object.entries(tarballs)) {
    console.log(`\n=== ${name}`);
    if (!run(bin('publint'), ['run', tgz, '--strict'])) problems.push(`${name}: publint failed`);
    const attw = [tgz, '--format', 'table-flipped', '--no-emoji', '--no-color'];
    // Strict profile (node10, node16 CJS/ESM, bundler) on every entry point; the `/testing`
    // entries resolve under node10 through "typesVersions".
    if (!run(bin('attw'), attw)) problems.push(`${name}: attw (are the types wrong) failed`);
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}

// ---- the consumer test
if (!args.has('--no-consumer') && problems.length === 0) {
  console.log('\ncheck-packages: consumer test (tarballs in scratch projects, ESM + CJS)');
  if (!run(pnpm, [...pnpmPre, '--filter', '@tapegrad/consumer-test', 'test:consumer']))
    problems.push('consumer test failed (apps/consumer-test, test:consumer)');
}

if (problems.length) {
  console.error(`\ncheck-packages: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`\ncheck-packages: ${packages.length} packages OK`);
