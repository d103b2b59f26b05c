// What several benchmarks share: the watchlist, the strategy they run, how they report, and the
// binary serving its API.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** 50 made-up tickers: SYMA0 … SYMZ0, SYMA1 … SYMX1. */
export const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);

/** The strategy the engine benchmarks run, as createEngine options. */
export const STRATEGY = { strategy: 'sma-crossover', strategyParams: { shortWindow: 10, longWindow: 30, allocation: 0.02 } };

/** The q-quantile (0.5 = median) of ascending `sorted`; NaN when it is empty. */
export const percentile = (sorted: ArrayLike<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** A count or rate, rounded, with thousands separators: 12,345. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The binary, headless on the simulated market with its HTTP API on a free port, in data directory `dir`. */
export interface ServingBinary {
  child: ChildProcess;
  url: string;
  token: string;
}

/** Starts the binary with `args` (after --headless --market simulated --api-port 0) and resolves once its API serves. */
export function serveBinary(dir: string, args: readonly string[]): Promise<ServingBinary> {
  const bin = fileURLToPath(new URL('../bin/paper-trader.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--headless', '--market', 'simulated', '--api-port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '', NODE_ENV: 'production' },
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /HTTP API on (http:\/\/127\.0\.0\.1:\d+)\/api\/paper/.exec(stderr);
      if (match) resolve({ child, url: match[1]!, token: readFileSync(join(dir, 'api-token'), 'utf8').trim() });
    });
    child.once('exit', (code, signal) => reject(new Error(`paper-trader exited (${code ?? signal}) before serving: ${stderr.trim()}`)));
  });
}
