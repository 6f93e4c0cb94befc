/**
 * The published packages and helpers shared by the release scripts
 * (check-packages, the consumer test, size budgets).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Folders under packages/ that are published, in dependency order. */
export const PUBLISHED_DIRS = [
  'core',
  'ops-math',
  'ops-conv',
  'backend-cpu',
  'backend-wasm',
  'backend-webgpu',
  'optim',
  'io',
  'tapegrad',
] as const;

export interface PublishedPackage {
  dir: string;
  name: string;
  version: string;
}

export function publishedPackages(): PublishedPackage[] {
  return PUBLISHED_DIRS.map((d) => {
    const dir = join(repoRoot, 'packages', d);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    return { dir, name: pkg.name, version: pkg.version };
  });
}

/** How to call pnpm from a script: the running pnpm when there is one, else npx pnpm@<packageManager>. */
export function pnpmCommand(): [string, string[]] {
  const exec = process.env.npm_execpath;
  if (exec && /pnpm/.test(exec)) return [process.execPath, [exec]];
  const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    packageManager?: string;
  };
  return ['npx', ['-y', root.packageManager ?? 'pnpm@10']];
}

export function pnpm(args: string[], cwd: string): string {
  const [cmd, pre] = pnpmCommand();
  return execFileSync(cmd, [...pre, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * `pnpm pack` of every published package into `dest` (workspace:* ranges become versions).
 * Needs dist/ built. Returns package name -> absolute tarball path.
 */
export function packAll(dest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of publishedPackages()) {
    const before = new Set(readdirSync(dest));
    pnpm(['pack', '--pack-destination', dest], p.dir);
    const made = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (made.length !== 1) throw new Error(`pnpm pack in ${p.dir} made ${made.length} tarballs`);
    out[p.name] = join(dest, made[0]!);
  }
  return out;
}
