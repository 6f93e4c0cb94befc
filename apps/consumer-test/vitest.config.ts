import { defineTapegradProject } from '../../vitest.shared.ts';

// `vitest run`: the fast checks on the sources (coverage matrix). The consumer test, which
// needs built packages, has its own config: `pnpm --filter @tapegrad/consumer-test test:consumer`.
export default defineTapegradProject(import.meta.dirname);
