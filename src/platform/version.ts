import { createRequire } from 'node:module';

/** The package version, from package.json (same relative path from src/ and from dist/). */
export const VERSION: string = createRequire(import.meta.url)('../../package.json').version;
