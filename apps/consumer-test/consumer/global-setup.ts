/**
 * Global setup of the consumer test: packs the published packages once (`pnpm pack`, see
 * scripts/published.ts) into a scratch folder shared by every *.consumer.ts file, and
 * removes that folder at the end (set KEEP_CONSUMER_TEST=1 to keep it for a look).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll } from '../../../scripts/published.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scratch folder: tarballs/ and one folder per scratch project. */
    consumerWork: string;
    /** Package name -> absolute path of its packed tarball. */
    consumerTarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'tapegrad-consumer-'));
  const dest = join(work, 'tarballs');
  mkdirSync(dest);
  project.provide('consumerWork', work);
  project.provide('consumerTarballs', packAll(dest));
  return () => {
    if (!process.env.KEEP_CONSUMER_TEST) rmSync(work, { recursive: true, force: true });
  };
}
