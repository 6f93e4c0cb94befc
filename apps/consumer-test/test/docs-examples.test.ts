import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

/** Every ```ts block of the hand-written docs pages runs (against the sources). */
const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tapegrad-docs-'));
const pages = readdirSync(docs).filter((f) => f.startsWith('coming-from-') && f.endsWith('.md'));

describe('docs examples run', () => {
  it('finds the pages', () => expect(pages.length).toBeGreaterThanOrEqual(2));
  for (const page of pages) {
    const blocks = [...readFileSync(join(docs, page), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)];
    blocks.forEach((m, i) => {
      it(`${page} example ${i + 1}`, async () => {
        const file = join(dir, `${page.replace('.md', '')}-${i}.ts`);
        writeFileSync(file, m[1]!);
        vi.resetModules(); // a fresh default engine per example
        await import(/* @vite-ignore */ file);
      });
    });
  }
});
