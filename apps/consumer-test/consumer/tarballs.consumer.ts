/**
 * CONSUMER TEST (slow-ish, ~1 min; needs `pnpm build` first): packs the published packages
 * with `pnpm pack`, installs the tarballs into scratch projects with `npm install --prefer-offline`
 * (only third-party dependencies such as fflate may be fetched) and runs the seed
 * examples there from ESM (.mjs) and CommonJS (.cjs), against `tapegrad` and against
 * `@tapegrad/core + @tapegrad/ops-math + @tapegrad/backend-cpu` alone. The packing
 * (global-setup.ts, once per run) and the scratch projects (scratch.ts) are shared with
 * the other consumer tests (vite-browser.consumer.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratch } from './scratch.ts';

function runNode(dir: string, file: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const seed = { w: [-4, -25], w2: [-4, -25], dx: 24, dy: 10 };
/** The umbrella picks its best backend (wasm, then cpu); the minimal install has only cpu. */
const umbrellaSeed = { ...seed, backend: expect.stringMatching(/^(wasm|cpu)$/) };
const minimalSeed = { ...seed, backend: 'cpu' };

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
