#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm install` through the prepare script); in a checkout without a build it
// falls back to the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/run.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  // biome-ignore lint/correctness/noUndeclaredDependencies: only reached in a source checkout, where devDependencies are installed
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/run.ts', import.meta.url).href);
}
