/**
 * Scratch projects of the consumer test, installed from the tarballs that
 * global-setup.ts packed (shared by every *.consumer.ts file).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inject } from 'vitest';

const fixtures = new URL('../fixtures/', import.meta.url);

/** Package name -> absolute tarball path (packed once per run by global-setup.ts). */
export function tarballs(): Record<string, string> {
  return inject('consumerTarballs');
}

/**
 * A scratch project named `name` depending on `deps` only; every @tapegrad package
 * resolves to its tarball. `files` are copied from fixtures/ into the project root
 * (a path like 'vite-browser/index.html' lands as 'index.html'). Installed with
 * `npm install --prefer-offline`: the tarballs are local; third-party dependencies of the
 * packages (fflate) come from npm's cache, or from the registry the first time.
 */
export function scratch(name: string, deps: string[], files: string[]): string {
  const all = tarballs();
  const dir = join(inject('consumerWork'), name);
  mkdirSync(dir);
  const file = (n: string) => `file:${all[n]}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `scratch-${name}`,
        version: '0.0.0',
        private: true,
        dependencies: Object.fromEntries(deps.map((d) => [d, file(d)])),
        // Transitive @tapegrad dependencies come from the tarballs too (not from the registry).
        overrides: Object.fromEntries(Object.keys(all).map((d) => [d, file(d)])),
      },
      null,
      2,
    ),
  );
  for (const f of files) copyFileSync(new URL(f, fixtures), join(dir, basename(f)));
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return dir;
}
