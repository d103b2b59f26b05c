#!/usr/bin/env node
// The paper-trader command. It runs the compiled build in dist/ when that was built from the
// sources as they are now (`npm install` builds it, `npm run build` again), else the TypeScript
// sources through tsx. The build starts in half the time and takes about 40 MB less memory: on
// Node 20 tsx compiles in a loader thread with a heap of its own.
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from './build-state.js';

if (buildIsCurrent(fileURLToPath(new URL('..', import.meta.url)))) {
  await import(new URL('../dist/paper-trader.js', import.meta.url).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./paper-trader.ts');
}
