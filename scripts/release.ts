/**
 * Release dry run (`pnpm release`): builds the published packages, checks the changesets
 * config (one fixed version group for every published package while below 1.0), shows the
 * pending changesets, and runs `pnpm publish --dry-run` for each package in dependency
 * order. Nothing is versioned, tagged or uploaded.
 *
 * The real release, from a clean main with npm credentials:
 *   pnpm changeset version && pnpm install && pnpm build && pnpm changeset publish
 *
 *   tsx scripts/release.ts [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pnpmCommand, publishedPackages, repoRoot } from './published.ts';

const [pnpm, pre] = pnpmCommand();
const packages = publishedPackages();
const sh = (args: string[]) =>
  execFileSync(pnpm, [...pre, ...args], { cwd: repoRoot, stdio: 'inherit' });

// 1. the fixed group covers every published package
const config = JSON.parse(readFileSync(join(repoRoot, '.changeset', 'config.json'), 'utf8')) as {
  fixed?: string[][];
};
const globToRe = (g: string) =>
  new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const groups = (config.fixed ?? []).map((g) => g.map(globToRe));
const outside = packages.filter(
  (p) =>
    !groups.some(
      (g) =>
        g.some((re) => re.test(p.name)) && packages.every((q) => g.some((re) => re.test(q.name))),
    ),
);
if (outside.length) {
  console.error(
    `release: not in one fixed changesets group with the others: ${outside.map((p) => p.name).join(', ')}`,
  );
  process.exit(1);
}
const versions = new Set(packages.map((p) => p.version));
if (versions.size !== 1) {
  console.error(`release: the fixed group has different versions: ${[...versions].join(', ')}`);
  process.exit(1);
}
console.log(`release: ${packages.length} packages in one fixed group at ${[...versions][0]}`);

// 2. build
const filters = packages.flatMap((p) => ['--filter', p.name]);
if (!process.argv.includes('--no-build'))
  sh(['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only']);

// 3. pending changesets (what `changeset version` would bump)
sh(['exec', 'changeset', 'status']);

// 4. publish dry run, in dependency order (pnpm -r sorts topologically)
sh(['-r', ...filters, 'publish', '--dry-run', '--no-git-checks']);
console.log('release: dry run OK (nothing was published)');
