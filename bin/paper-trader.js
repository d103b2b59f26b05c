#!/usr/bin/env node
// npx paper-trader: runs the TypeScript entry point through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./paper-trader.ts');
