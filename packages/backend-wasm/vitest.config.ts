import { mergeConfig } from 'vitest/config';
import { defineTapegradProject } from '../../vitest.shared.ts';

// The tests import the generated kernel module: compile it first (incremental).
export default mergeConfig(defineTapegradProject(import.meta.dirname), {
  test: { globalSetup: ['./scripts/vitest-global-setup.mjs'] },
});
