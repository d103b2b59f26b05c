// Replay memory: the peak resident memory of `paper-trader --replay FILE` run to the end, for a
// small and a ten-times larger file (and its gzip), in the same run: a streamed replay's peak
// should not grow with the file, nor with the fills of a strategy trading it. The floor is a
// 100-event replay, run by the compiled build and by the sources through tsx.
// Run alone: npx tsx bench/replay-memory.ts [events]
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { buildIsCurrent } from '../bin/build-state.js';
import { fmt } from './common.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/paper-trader.js', import.meta.url));
/** The command as the launcher runs it without a current build. */
const SOURCES = ['--import', 'tsx', fileURLToPath(new URL('../bin/paper-trader.ts', import.meta.url))];
const FLOOR_EVENTS = 100;
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];

export interface ReplayMemoryResult {
  /** Whether bin/paper-trader.js ran the compiled build (else the sources, through tsx). */
  built: boolean;
  floor: { build: ReplayPeak; sources: ReplayPeak };
  runs: ReplayMemoryRun[];
}

interface ReplayPeak {
  seconds: number;
  peakMegabytes: number;
  fills: number;
}

export interface ReplayMemoryRun extends ReplayPeak {
  events: number;
  gzip: boolean;
  strategy: boolean;
  fileMegabytes: number;
}

/** Writes `events` quotes and trades (one a millisecond, 4 symbols, a random walk) as JSONL, gzipped or not. */
async function writeSession(path: string, events: number, gzip: boolean): Promise<void> {
  const file = createWriteStream(path);
  const out = gzip ? createGzip({ level: 1 }) : undefined;
  out?.pipe(file);
  const sink = out ?? file;
  const start = Date.parse('2026-11-02T14:30:00Z');
  const prices = SYMBOLS.map(() => 100);
  let seed = 1;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  let chunk = '';
  for (let i = 0; i < events; i++) {
    const s = i % SYMBOLS.length;
    prices[s] = Math.max(1, prices[s]! + (random() - 0.5) * 0.05);
    const bid = Math.round(prices[s]! * 100) / 100;
    chunk += i % 5 === 4
      ? `{"ev":"T","sym":"${SYMBOLS[s]}","p":${bid},"s":10,"t":${start + i}}\n`
      : `{"ev":"Q","sym":"${SYMBOLS[s]}","bp":${bid},"bs":5,"ap":${(bid + 0.01).toFixed(2)},"as":5,"t":${start + i}}\n`;
    if (chunk.length > 1 << 20) {
      if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      chunk = '';
    }
  }
  sink.end(chunk);
  await new Promise<void>((resolve) => file.once('close', () => resolve()));
}

/** Runs the replay to its end in a child process, sampling its resident memory every 50 ms. */
async function replayPeak(path: string, strategy: boolean, command = [BIN]): Promise<ReplayPeak> {
  const started = performance.now();
  const child = spawn(process.execPath, [...command, '--replay', path, ...(strategy ? ['--strategy', 'sma-crossover'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peak = 0;
  const sample = setInterval(() => {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (rss) peak = Math.max(peak, Number(rss[1]) / 1024);
    } catch {
      // exited
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sample);
  if (code !== 0) throw new Error(`the replay failed (${code}): ${stderr.trim().split('\n')[0]}`);
  const fills = Number(/(\d+) fills/.exec(stdout)?.[1] ?? 0);
  return { seconds: (performance.now() - started) / 1000, peakMegabytes: peak, fills };
}

export async function replayMemoryBenchmark(large = 5_000_000): Promise<ReplayMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-replay-'));
  try {
    const tiny = join(dir, 'tiny.jsonl');
    await writeSession(tiny, FLOOR_EVENTS, false);
    const floor = { build: await replayPeak(tiny, false), sources: await replayPeak(tiny, false, SOURCES) };
    const runs: ReplayMemoryRun[] = [];
    for (const [events, gzip, strategy] of [[large / 10, false, false], [large, false, false], [large, true, false], [large / 10, true, true], [large, true, true]] as const) {
      const path = join(dir, `session-${events}.jsonl${gzip ? '.gz' : ''}`);
      await writeSession(path, events, gzip);
      runs.push({ events, gzip, strategy, fileMegabytes: statSync(path).size / 2 ** 20, ...(await replayPeak(path, strategy)) });
      rmSync(path);
    }
    return { built: buildIsCurrent(ROOT), floor, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printReplayMemory({ built, floor, runs }: ReplayMemoryResult): void {
  console.log('\nReplay memory (paper-trader --replay FILE to the end, read as a stream; peak resident memory of the whole process, sampled every 50 ms):');
  console.log(built ? '  bin/paper-trader.js ran the compiled build (dist/)' : '  bin/paper-trader.js ran the sources through tsx: dist/ is missing or stale (npm run build)');
  console.log(
    `  ${FLOOR_EVENTS} events (the floor): the build peak ${floor.build.peakMegabytes.toFixed(0)} MB in ${floor.build.seconds.toFixed(2)} s, ` +
      `the sources through tsx ${floor.sources.peakMegabytes.toFixed(0)} MB in ${floor.sources.seconds.toFixed(2)} s ` +
      `(${(floor.build.peakMegabytes / floor.sources.peakMegabytes).toFixed(2)}x the memory, ${(floor.build.seconds / floor.sources.seconds).toFixed(2)}x the time)`,
  );
  for (const r of runs) {
    console.log(
      `  ${`${fmt(r.events)} events${r.gzip ? ', gzip' : ''}${r.strategy ? ', strategy' : ''}`.padEnd(32)} file ${r.fileMegabytes.toFixed(0).padStart(5)} MB   ` +
        `peak ${r.peakMegabytes.toFixed(0).padStart(4)} MB   ${r.seconds.toFixed(1).padStart(6)} s (${fmt(r.events / r.seconds)} events/s)   ${fmt(r.fills)} fills`,
    );
  }
  const [small, large, , fewFills, manyFills] = runs;
  if (small && large) console.log(`  ${fmt(large.events / small.events)}x the events: ${(large.peakMegabytes / small.peakMegabytes).toFixed(2)}x the peak memory`);
  if (fewFills && manyFills && fewFills.fills > 0) {
    console.log(
      `  with a strategy trading, ${(manyFills.fills / fewFills.fills).toFixed(1)}x the fills: ${(manyFills.peakMegabytes / fewFills.peakMegabytes).toFixed(2)}x the peak memory ` +
        `(from 10,000 orders and fills on, all but the last 1,000 go to the run's scratch store)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  replayMemoryBenchmark(Number(process.argv[2]) || undefined).then(printReplayMemory, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
