// Stream benchmark: how many Polygon WebSocket events per second the real stream parser and engine
// take. bench/fake-firehose.ts sends batched Q and T frames for 500 stocks from a child process;
// this process runs createEngine on the polygon market and times each event the engine publishes.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../src/engine/index.ts';
import { until } from '../test/helpers/until.ts';
import { percentile, STRATEGY } from './common.ts';
import type { FirehoseCommand, FirehoseReport } from './fake-firehose.ts';

export const STREAM_SYMBOL_COUNT = 500;
export const STREAM_TARGET_EVENTS_PER_SECOND = 100_000;
const BATCH = 50;
const STEP_SECONDS = 3;
const MAX_STEP_SECONDS = 4;
/** Offered rates in events/s; null = as fast as the engine drains the socket. */
const RATES: readonly (number | null)[] = [50_000, 100_000, 200_000, null];
/** Lag is compared over this much time at the start and at the end of each step. */
const WINDOW_MS = 1000;
/** The end window's p50 lag may exceed the start window's by this much before we call it falling behind. */
export const FALLING_BEHIND_MS = 10;

export interface LagStats {
  p50: number;
  p99: number;
  max: number;
}

export interface StreamRateResult {
  name: string;
  /** events/s asked of the sender; null = unthrottled. */
  offered: number | null;
  /** What the sender managed to send, events/s. */
  sentPerSecond: number;
  sent: number;
  received: number;
  /** Events received / time from the first to the last one received. */
  sustainedPerSecond: number;
  /** Receive time minus the event's `t` (its send time), ms, over the whole step. */
  lag: LagStats;
  startLag: LagStats;
  endLag: LagStats;
  fallingBehind: boolean;
}

export interface StreamReport {
  symbols: number;
  batch: number;
  /** From engine.start to the strategy's warm-up message (REST symbol checks, snapshots and minute bars of every symbol). */
  startup: { seconds: number; warmUp: string };
  results: StreamRateResult[];
  /** Orders the strategy placed, and their fills (stock orders wait for the US open outside market hours). */
  orders: number;
  fills: number;
  problems: string[];
}

/** 500 distinct three- and four-letter tickers: AAA, AAB, …, then AAAA, … */
export function streamSymbols(count = STREAM_SYMBOL_COUNT): string[] {
  const letters = (n: number, width: number): string =>
    Array.from({ length: width }, (_, i) => String.fromCharCode(65 + (Math.floor(n / 26 ** (width - 1 - i)) % 26))).join('');
  return Array.from({ length: count }, (_, i) => (i < 300 ? letters(i * 37, 3) : letters(i * 1013, 4)));
}

class Firehose {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<FirehoseReport['type'], (report: FirehoseReport) => void>();

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./fake-firehose.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (report: FirehoseReport) => {
      const resolve = this.#waiting.get(report.type);
      this.#waiting.delete(report.type);
      resolve?.(report);
    });
  }

  next<T extends FirehoseReport['type']>(type: T, timeoutMs = 30_000): Promise<Extract<FirehoseReport, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the firehose sent no "${type}" within ${timeoutMs / 1000} s`)), timeoutMs);
      this.#waiting.set(type, (report) => {
        clearTimeout(timer);
        resolve(report as Extract<FirehoseReport, { type: T }>);
      });
    });
  }

  send(command: FirehoseCommand): void {
    this.#child.send(command);
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.send({ type: 'stop' });
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

/** Every event the engine publishes, as (receive time, lag), in preallocated arrays. */
class LagRecorder {
  #lags = new Int32Array(1 << 22);
  #offsets = new Int32Array(1 << 22);
  count = 0;
  overflow = 0;
  started = 0;
  first = 0;
  last = 0;

  reset(now: number): void {
    this.count = 0;
    this.overflow = 0;
    this.started = now;
  }

  record(now: number, eventTime: number): void {
    const i = this.count++;
    if (i === 0) this.first = now;
    this.last = now;
    if (i >= this.#lags.length) {
      this.overflow++;
      return;
    }
    this.#lags[i] = now - eventTime;
    this.#offsets[i] = now - this.started;
  }

  stats(from = 0, to = Number.POSITIVE_INFINITY): LagStats {
    const kept = Math.min(this.count, this.#lags.length);
    const window: number[] = [];
    for (let i = 0; i < kept; i++) {
      const offset = this.#offsets[i]!;
      if (offset >= from && offset < to) window.push(this.#lags[i]!);
    }
    const sorted = Int32Array.from(window).sort();
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]! };
  }
}

/** Polls `done` every 20 ms; false if it still fails after timeoutMs. */
const waitFor = (done: () => boolean, timeoutMs: number): Promise<boolean> =>
  until(done, { timeoutMs, everyMs: 20 }).then(
    () => true,
    () => false,
  );

async function runStep(firehose: Firehose, recorder: LagRecorder, rate: number | null, seconds: number): Promise<StreamRateResult> {
  recorder.reset(Date.now());
  const done = firehose.next('done', (seconds + 10) * 1000);
  firehose.send({ type: 'run', rate, seconds, batch: BATCH });
  const sent = await done;
  await waitFor(() => recorder.count >= sent.events, 10_000);
  const span = Math.max(1, recorder.last - recorder.first) / 1000;
  // Windows by receive time, measured from the first event received.
  const begin = recorder.first - recorder.started;
  const end = recorder.last - recorder.started;
  const startLag = recorder.stats(begin, begin + WINDOW_MS);
  const endLag = recorder.stats(end - WINDOW_MS, end + 1);
  return {
    name: rate === null ? 'unthrottled (as fast as it drains)' : `offered ${Math.round(rate / 1000)}k events/s`,
    offered: rate,
    sent: sent.events,
    sentPerSecond: sent.events / sent.seconds,
    received: recorder.count,
    sustainedPerSecond: recorder.count / span,
    lag: recorder.stats(),
    startLag,
    endLag,
    fallingBehind: recorder.count < sent.events || endLag.p50 - startLag.p50 > FALLING_BEHIND_MS,
  };
}

export async function streamBenchmarks(): Promise<StreamReport> {
  const firehose = new Firehose();
  let engine: Engine | undefined;
  try {
    const { port } = await firehose.next('ready');
    const symbols = streamSymbols();
    engine = await createEngine({
      market: { kind: 'polygon', apiKey: 'demo', restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` },
      symbols,
      ...STRATEGY,
    });
    const recorder = new LagRecorder();
    // The UI's store listens to exactly this event, so counting here costs what the app pays anyway.
    engine.on('quote', (quote) => {
      recorder.record(Date.now(), quote.time);
    });
    const problems: string[] = [];
    let warmUp = 'no warm-up message';
    engine.on('error', (entry) => void problems.push(entry.message));
    engine.on('log', (entry) => {
      if (entry.level !== 'info') problems.push(entry.message);
      if (/^strategy .*(warmed up|without history)/.test(entry.message)) warmUp = entry.message;
    });
    const subscribed = firehose.next('subscribed');
    const starting = Date.now();
    await engine.start();
    const { symbols: streaming } = await subscribed;
    if (streaming !== symbols.length) throw new Error(`the stream subscribed ${streaming} of ${symbols.length} symbols`);
    // The strategy loads minute bars over REST before it trades: measure it trading, not waiting.
    await waitFor(() => warmUp !== 'no warm-up message', 5_000);
    const startup = { seconds: (Date.now() - starting) / 1000, warmUp };

    await runStep(firehose, recorder, 50_000, 1); // warm-up: JIT, socket buffers, strategy windows
    const results: StreamRateResult[] = [];
    for (const rate of RATES) results.push(await runStep(firehose, recorder, rate, rate === null ? MAX_STEP_SECONDS : STEP_SECONDS));
    const snapshot = engine.snapshot();
    return { symbols: symbols.length, batch: BATCH, startup, results, orders: snapshot.orders.length, fills: snapshot.metrics.totalFills, problems };
  } finally {
    await engine?.stop();
    await firehose.stop();
  }
}
