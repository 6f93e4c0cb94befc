import { defineTapegradProject } from '../../vitest.shared.ts';

export default defineTapegradProject(import.meta.dirname);
