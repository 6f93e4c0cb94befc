/**
 * CONSUMER TEST (slow-ish, ~1 min; needs `pnpm build` first): packs the published packages
 * with `pnpm pack`, installs the tarballs into scratch projects with `npm install --offline`
 * (nothing is fetched: the packages have no third-party dependencies) and runs the seed
 * examples there from ESM (.mjs) and CommonJS (.cjs), against `tapegrad` and against
 * `@tapegrad/core + @tapegrad/ops-math + @tapegrad/backend-cpu` alone.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll } from '../../../scripts/published.ts';

const fixtures = new URL('../fixtures/', import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'tapegrad-consumer-'));
let tarballs: Record<string, string>;

/** A scratch project depending on `deps` only; every @tapegrad package resolves to its tarball. */
function scratch(name: string, deps: string[], files: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const file = (n: string) => `file:${tarballs[n]}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `scratch-${name}`,
        version: '0.0.0',
        private: true,
        dependencies: Object.fromEntries(deps.map((d) => [d, file(d)])),
        // Transitive @tapegrad dependencies come from the tarballs too (not from the registry).
        overrides: Object.fromEntries(Object.keys(tarballs).map((d) => [d, file(d)])),
      },
      null,
      2,
    ),
  );
  for (const f of files) copyFileSync(new URL(f, fixtures), join(dir, f));
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return dir;
}

function runNode(dir: string, file: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const seed = { w: [-4, -25], w2: [-4, -25], dx: 24, dy: 10 };
/** The umbrella picks its best backend (wasm, then cpu); the minimal install has only cpu. */
const umbrellaSeed = { ...seed, backend: expect.stringMatching(/^(wasm|cpu)$/) };
const minimalSeed = { ...seed, backend: 'cpu' };

beforeAll(() => {
  const dest = join(work, 'tarballs');
  mkdirSync(dest);
  tarballs = packAll(dest);
});

afterAll(() => {
  if (!process.env.KEEP_CONSUMER_TEST) rmSync(work, { recursive: true, force: true });
});

describe('packed tarballs in a scratch project', () => {
  describe('tapegrad (umbrella)', () => {
    let dir: string;
    beforeAll(() => {
      dir = scratch('umbrella', ['tapegrad'], ['umbrella.mjs', 'umbrella.cjs']);
    });
    it('ESM: import * as tg from "tapegrad"', () => {
      expect(runNode(dir, 'umbrella.mjs')).toEqual(umbrellaSeed);
    });
    it('CJS: require("tapegrad")', () => {
      expect(runNode(dir, 'umbrella.cjs')).toEqual(umbrellaSeed);
    });
  });

  describe('@tapegrad/core + @tapegrad/ops-math + @tapegrad/backend-cpu alone', () => {
    let dir: string;
    beforeAll(() => {
      dir = scratch(
        'minimal',
        ['@tapegrad/core', '@tapegrad/ops-math', '@tapegrad/backend-cpu'],
        ['minimal.mjs', 'minimal.cjs'],
      );
    });
    it('installs without the umbrella', () => {
      expect(existsSync(join(dir, 'node_modules', 'tapegrad'))).toBe(false);
      expect(existsSync(join(dir, 'node_modules', '@tapegrad', 'core', 'dist', 'index.js'))).toBe(
        true,
      );
    });
    it('ESM: import { use, ... } from "@tapegrad/core"', () => {
      expect(runNode(dir, 'minimal.mjs')).toEqual(minimalSeed);
    });
    it('CJS: require("@tapegrad/core")', () => {
      expect(runNode(dir, 'minimal.cjs')).toEqual(minimalSeed);
    });
  });
});
