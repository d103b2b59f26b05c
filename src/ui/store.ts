import type { Engine, EngineSnapshot } from '../engine/index.ts';
import { ownerOf, USER_OWNER } from '../engine/portfolio/attribution.ts';
import { escapeControls } from '../engine/printable.ts';

export interface LogLine {
  time: number;
  level: 'info' | 'warn' | 'error' | 'fill' | 'alert';
  text: string;
}

/** What the panes read: one immutable state, rebuilt at most every intervalMs while events stream. */
export interface UiState {
  readonly snapshot: EngineSnapshot;
  /** Recent marks per symbol, oldest first, for sparklines (floats: display only). */
  readonly sparklines: ReadonlyMap<string, readonly number[]>;
  /** The log, oldest first, ring-buffered. */
  readonly log: readonly LogLine[];
  /** The last alert that went off, shown on the status line until a key is pressed. */
  readonly alert: LogLine | undefined;
  readonly version: number;
}

export interface UiStoreOptions {
  /** Batching interval of market data: at most one new state per interval while only prices move (default 100 ms, 10 frames/s). */
  intervalMs?: number;
  /** The same for the trader's own activity (orders, fills, log lines, alerts, the strategy): shown sooner (default intervalMs). */
  activityMs?: number;
  /** Finished orders and fills kept in the state (working orders are always kept). */
  recent?: number;
  sparkPoints?: number;
  /** Market time between two sparkline points (default 1000 ms). */
  sparkIntervalMs?: number;
  logLines?: number;
  /** Replaces setTimeout in tests. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const defaultSchedule = (fn: () => void, ms: number): (() => void) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/**
 * Batches engine events into UI states (gemini-cli's throttled store, read with
 * useSyncExternalStore). Engine events only mark the state dirty; a timer rebuilds it.
 */
export class UiStore {
  readonly #engine: Engine;
  readonly #intervalMs: number;
  readonly #activityMs: number;
  /** When the pending rebuild is due (Date.now() ms); a sooner one replaces it. */
  #dueAt = Number.POSITIVE_INFINITY;
  readonly #recent: number;
  readonly #sparkPoints: number;
  readonly #logLines: number;
  readonly #schedule: NonNullable<UiStoreOptions['schedule']>;
  /** Each array is replaced, never changed, once published: a push makes a new one. */
  readonly #sparklines = new Map<string, readonly number[]>();
  #sparklinesChanged = true;
  readonly #lastMark = new Map<string, string>();
  readonly #sparkIntervalMs: number;
  #lastSparkTime = Number.NEGATIVE_INFINITY;
  #log: LogLine[] = [];
  #logChanged = true;
  #alert: LogLine | undefined;
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: (() => void)[] = [];
  #state: UiState;
  #cancelTimer: (() => void) | undefined;

  constructor(engine: Engine, options: UiStoreOptions = {}) {
    this.#engine = engine;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#activityMs = Math.min(this.#intervalMs, options.activityMs ?? this.#intervalMs);
    this.#recent = options.recent ?? 200;
    this.#sparkPoints = options.sparkPoints ?? 120;
    this.#sparkIntervalMs = options.sparkIntervalMs ?? 1000;
    this.#logLines = options.logLines ?? 500;
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#state = this.#build(0);
    this.#unsubscribe.push(
      engine.on('quote', (quote) => {
        if (quote.mark !== null) this.#lastMark.set(quote.symbol, quote.mark);
        this.#dirty();
      }),
      // The trader's own orders and fills show at once; a strategy's, with the prices.
      engine.on('order', (order) => this.#dirty(this.#delayFor(order.source))),
      engine.on('fill', (fill) => {
        this.#append({ time: fill.time, level: 'fill', text: `${fill.side} ${fill.qty} ${fill.symbol} @ ${fill.price} (${fill.source})` }, this.#delayFor(fill.source));
      }),
      engine.on('log', (entry) => this.#append({ time: entry.time, level: entry.level, text: entry.message })),
      engine.on('error', (entry) => this.#append({ time: entry.time, level: 'error', text: entry.message })),
      engine.on('status', () => this.#dirty()),
      engine.on('strategy', () => this.#dirty(this.#activityMs)),
      engine.on('alert', (fired) => {
        this.#alert = { time: fired.time, level: 'alert', text: escapeControls(fired.message) };
        this.#append(this.#alert);
      }),
    );
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): UiState => this.#state;

  /** A line the UI itself adds (a key's result, a validation message). */
  note(level: LogLine['level'], text: string): void {
    this.#append({ time: this.#engine.snapshot({ recent: 0, equityPoints: 1 }).time, level, text: escapeControls(text) });
  }

  /** Rebuilds now: after a key press the next frame shows its effect. */
  refresh(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#dueAt = Number.POSITIVE_INFINITY;
    this.#publish();
  }

  /** The trader saw the alert (pressed a key): the status line shows its hints again. */
  dismissAlert(): void {
    if (this.#alert === undefined) return;
    this.#alert = undefined;
    this.refresh();
  }

  dispose(): void {
    this.#cancelTimer?.();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#listeners.clear();
  }

  #append(line: LogLine, delayMs = this.#activityMs): void {
    this.#log.push(line);
    if (this.#log.length > this.#logLines * 2) this.#log = this.#log.slice(-this.#logLines);
    this.#logChanged = true;
    this.#dirty(delayMs);
  }

  /** How soon an order or fill from `source` is shown: the trader's at once, a strategy's with the next prices. */
  #delayFor(source: string): number {
    return ownerOf(source) === USER_OWNER ? this.#activityMs : this.#intervalMs;
  }

  #pushSpark(symbol: string, value: number): void {
    const points = [...(this.#sparklines.get(symbol) ?? []), value];
    if (points.length > this.#sparkPoints) points.shift();
    this.#sparklines.set(symbol, points);
    this.#sparklinesChanged = true;
  }

  // One point per symbol per second of market time: trends read the same whether quotes come
  // ten a second or one a minute, and the sparkline columns do not shift on every frame.
  #sampleSparklines(time: number): void {
    if (time - this.#lastSparkTime < this.#sparkIntervalMs) return;
    this.#lastSparkTime = time;
    for (const [symbol, mark] of this.#lastMark) this.#pushSpark(symbol, Number(mark));
  }

  /** A rebuild within `ms` (the market data's interval by default); one already due sooner stays. */
  #dirty(ms = this.#intervalMs): void {
    const dueAt = Date.now() + ms;
    if (this.#cancelTimer) {
      if (this.#dueAt <= dueAt) return;
      this.#cancelTimer();
    }
    this.#dueAt = dueAt;
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      this.#dueAt = Number.POSITIVE_INFINITY;
      this.#publish();
    }, ms);
  }

  #publish(): void {
    this.#state = this.#build(this.#state.version + 1);
    for (const listener of this.#listeners) listener();
  }

  #build(version: number): UiState {
    const snapshot = this.#engine.snapshot({ recent: this.#recent, equityPoints: 240 });
    this.#sampleSparklines(snapshot.time);
    // Nothing pushed or appended since the last state: it keeps its map and log (they are never changed once published).
    const sparklines = this.#sparklinesChanged ? new Map(this.#sparklines) : this.#state.sparklines;
    const log = this.#logChanged ? this.#log.slice(-this.#logLines) : this.#state.log;
    this.#sparklinesChanged = false;
    this.#logChanged = false;
    return { snapshot, sparklines, log, alert: this.#alert, version };
  }
}
