// Render cost of the full-screen UI: the real <App> mounted by the same mountApp() runTui uses
// (the same store interval, Ink options and line-diffing stdout; production React, as the
// binary runs it) into a fake 160x48 TTY, while 50 simulated symbols stream about 1,000 quotes/s on the live clock. Measures
// bytes written to the terminal, frames written, CPU of the whole process against the same engine
// with no UI, and the time from a key press to the frame that shows it.
//
// Ink and the app are imported only inside renderBenchmarks(): ink decides at import time whether
// it is "in CI" (CI or CONTINUOUS_INTEGRATION set), and then writes only the last frame, which
// would make every number here meaningless. So CI is removed from the environment first.
import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import { performance } from 'node:perf_hooks';
import { builtInStrategies, strategyChoices } from '../strategies/index.ts';
import { Keyboard } from '../test/helpers/keyboard.ts';
import { createEngine, type Engine } from '../src/engine/index.ts';
import { percentile, STRATEGY, SYMBOLS } from './common.ts';

export const TERMINAL = { columns: 160, rows: 48 } as const;
/** Mean gap between two events of one symbol: 50 symbols x 1000/50 ≈ 1,000 events/s. */
const QUOTE_INTERVAL_MS = 50;
const WARM_UP_MS = 1_000;
const WINDOW_MS = 8_000;
const KEY_PRESSES = 50;
const KEY_TIMEOUT_MS = 2_000;

/** What the UI should stay under (bytes: 1 KB = 1,024 bytes; CPU: what the UI adds to the engine alone, in points of one core). */
export const RENDER_TARGETS = {
  bytesPerSecond: 10 * 1024,
  uiCpuPoints: 5,
  /** About where a key press stops feeling instant. */
  keyP99Ms: 100,
} as const;

export interface StreamResult {
  name: string;
  seconds: number;
  /** engine.on('quote') events delivered per second (one per market event: quote, trade or bar). */
  quotesPerSecond: number;
  /** process.cpuUsage (user + system) per second of wall time, in % of one core. */
  cpuPercent: number;
  /** Present when a UI was attached. */
  ui?: { bytesPerSecond: number; framesPerSecond: number; writesPerSecond: number; bytesPerFrame: number; renderMsPerFrame: number; inkBytesPerSecond: number };
}

export interface KeyLatencyResult {
  name: string;
  presses: number;
  /** Presses whose change never reached the terminal within KEY_TIMEOUT_MS. */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RenderReport {
  terminal: typeof TERMINAL;
  symbols: number;
  baseline: StreamResult;
  standard: StreamResult;
  /** The same with each full-screen view open (symbol, activity, performance). */
  views: StreamResult[];
  latency: KeyLatencyResult;
  /** React's build as loaded (NODE_ENV); the binary runs production. */
  reactBuild: 'development' | 'production';
  /** Set when the benchmark changed the environment to measure a real terminal. */
  notes: string[];
}

const BSU = '\u001B[?2026h';
const ESU = '\u001B[?2026l';
const stripAnsi = (text: string): string => text.replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '');

/** A terminal's stdout as Ink sees it: a TTY of a fixed size that counts what is written to it. */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns: number = TERMINAL.columns;
  readonly rows: number = TERMINAL.rows;
  bytes = 0;
  writes = 0;
  frames = 0;
  /** Called for every write, with the time it was written. */
  onWrite: ((chunk: string, at: number) => void) | undefined;

  write(chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean {
    const at = performance.now();
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.byteLength;
    this.writes++;
    // Ink wraps each frame in synchronized-update markers, written separately; a frame is a write
    // with something on screen in it, not just escape sequences.
    if (text !== BSU && text !== ESU && stripAnsi(text).length > 0) this.frames++;
    this.onWrite?.(text, at);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

interface UiModules {
  mountApp: typeof import('../src/ui/render.tsx').mountApp;
  theme: import('../src/ui/theme.ts').Theme;
}

interface Mounted {
  terminal: FakeTerminal;
  keyboard: Keyboard;
  renderMs: () => number;
  renders: () => number;
  /** Bytes Ink produced before the line diff. */
  inkBytes: () => number;
  unmount: () => void;
}

/** Mounts <App> as runTui does (alternate screen first, then mountApp). */
function mountUi(modules: UiModules, engine: Engine): Mounted {
  const terminal = new FakeTerminal();
  const keyboard = new Keyboard();
  terminal.write('\u001B[?1049h\u001B[H' + '\u001B[?25l');
  let renderMs = 0;
  let renders = 0;
  const strategies = strategyChoices(builtInStrategies);
  const { instance, store, screen } = modules.mountApp(engine, {
    theme: modules.theme,
    strategies,
    quickQty: () => '10',
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    onQuit: () => {},
    onRender: ({ renderTime }) => {
      renderMs += renderTime;
      renders++;
    },
  });
  return {
    terminal,
    keyboard,
    renderMs: () => renderMs,
    renders: () => renders,
    inkBytes: () => screen.traffic.in,
    unmount: () => {
      instance.unmount();
      instance.cleanup();
      store.dispose();
    },
  };
}

async function newEngine(): Promise<{ engine: Engine; quotes: () => number }> {
  const engine = await createEngine({ symbols: SYMBOLS, market: { kind: 'simulated', seed: 1, quoteIntervalMs: QUOTE_INTERVAL_MS, anyTicker: true }, ...STRATEGY });
  // The engine publishes a quote view for every market event it receives (quote, trade or bar).
  let quotes = 0;
  engine.on('quote', () => void quotes++);
  return { engine, quotes: () => quotes };
}

/** Streams for WARM_UP_MS, then measures WINDOW_MS; with modules, the UI is mounted the whole time (after `keys`: a view opened). */
async function stream(name: string, modules: UiModules | undefined, keys = ''): Promise<StreamResult> {
  const { engine, quotes } = await newEngine();
  await engine.start();
  const ui = modules ? mountUi(modules, engine) : undefined;
  if (ui && keys) ui.keyboard.write(keys);
  try {
    await sleep(WARM_UP_MS);
    if (ui && ui.terminal.frames === 0) {
      throw new Error('Ink wrote no frames during the warm-up: it was imported with CI set (it then renders only the last frame). Run the benchmark with CI unset.');
    }
    const start = { at: performance.now(), cpu: cpuMicros(), quotes: quotes(), bytes: ui?.terminal.bytes ?? 0, frames: ui?.terminal.frames ?? 0, writes: ui?.terminal.writes ?? 0, renderMs: ui?.renderMs() ?? 0, renders: ui?.renders() ?? 0, inkBytes: ui?.inkBytes() ?? 0 };
    await sleep(WINDOW_MS);
    const seconds = (performance.now() - start.at) / 1000;
    const cpuPercent = ((cpuMicros() - start.cpu) / 1e6 / seconds) * 100;
    const result: StreamResult = { name, seconds, quotesPerSecond: (quotes() - start.quotes) / seconds, cpuPercent };
    if (ui) {
      const frames = ui.terminal.frames - start.frames;
      const bytes = ui.terminal.bytes - start.bytes;
      const renders = ui.renders() - start.renders;
      result.ui = {
        bytesPerSecond: bytes / seconds,
        framesPerSecond: frames / seconds,
        writesPerSecond: (ui.terminal.writes - start.writes) / seconds,
        bytesPerFrame: frames > 0 ? bytes / frames : 0,
        renderMsPerFrame: renders > 0 ? (ui.renderMs() - start.renderMs) / renders : 0,
        inkBytesPerSecond: (ui.inkBytes() - start.inkBytes) / seconds,
      };
    }
    return result;
  } finally {
    ui?.unmount();
    await engine.stop();
  }
}

/**
 * Alternates j and k on the quotes pane (each press moves the selected row) while the market
 * streams, timing each from writing the key to stdin to the first stdout write whose selected
 * (inverse) row is a different symbol.
 */
async function keyLatency(modules: UiModules): Promise<KeyLatencyResult> {
  const { engine } = await newEngine();
  await engine.start();
  const ui = mountUi(modules, engine);
  // The app writes only changed cells, so what is selected is read off a real terminal emulator
  // fed the same bytes: the quotes row whose first cell is inverse (the focused title is too).
  const screen = new xterm.Terminal({ cols: TERMINAL.columns, rows: TERMINAL.rows, allowProposedApi: true, convertEol: true });
  const selectedSymbol = (): string | undefined => {
    const buffer = screen.buffer.active;
    for (let row = 1; row < TERMINAL.rows; row++) {
      const line = buffer.getLine(row);
      if (line?.getCell(0)?.isInverse() && /^SYM/.test(line.translateToString(true))) return line.translateToString(true).split(' ')[0];
    }
    return undefined;
  };
  let selected: string | undefined;
  let waiter: { from: string | undefined; resolve: (at: number) => void } | undefined;
  ui.terminal.onWrite = (chunk, at) =>
    screen.write(chunk, () => {
      const symbol = selectedSymbol();
      if (symbol === undefined) return;
      selected = symbol;
      if (waiter && symbol !== waiter.from) {
        const { resolve } = waiter;
        waiter = undefined;
        resolve(at);
      }
    });
  const samples: number[] = [];
  let missed = 0;
  // Deterministic gaps between presses (40–240 ms) so presses land at every phase of the frame throttle.
  let seed = 7;
  const gap = () => 40 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 200);
  try {
    await sleep(WARM_UP_MS);
    if (selected === undefined) throw new Error('no selected quotes row found on the screen: is colour (inverse) output off?');
    for (let press = 0; press < KEY_PRESSES; press++) {
      const changed = new Promise<number>((resolve) => (waiter = { from: selected, resolve }));
      const timeout = sleep(KEY_TIMEOUT_MS).then(() => Number.NaN);
      const sent = performance.now();
      ui.keyboard.write(press % 2 === 0 ? 'j' : 'k');
      const shown = await Promise.race([changed, timeout]);
      waiter = undefined;
      if (Number.isNaN(shown)) missed++;
      else samples.push(shown - sent);
      await sleep(gap());
    }
  } finally {
    ui.unmount();
    await engine.stop();
  }
  samples.sort((a, b) => a - b);
  return { name: 'j/k on the quotes pane, default rendering', presses: KEY_PRESSES, missed, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), maxMs: samples.at(-1) ?? Number.NaN };
}

export async function renderBenchmarks(): Promise<RenderReport> {
  const notes: string[] = [];
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, FORCE_COLOR: process.env.FORCE_COLOR, NODE_ENV: process.env.NODE_ENV };
  // As bin/paper-trader.js runs it; React reads NODE_ENV when it is first imported.
  process.env.NODE_ENV ??= 'production';
  // Ink reads CI once, when it is first imported (is-in-ci): with it set, only the last frame is written.
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION'] as const) {
    if (process.env[key] !== undefined) {
      notes.push(`${key}=${process.env[key]} was unset for this benchmark (Ink writes only the last frame in CI)`);
      delete process.env[key];
    }
  }
  // The app writes to a colour terminal; when the bench's own stdout is a pipe, chalk would drop all colour.
  if (process.env.FORCE_COLOR === undefined) {
    process.env.FORCE_COLOR = '1';
    if (!process.stdout.isTTY) notes.push('FORCE_COLOR=1 was set for this benchmark (its stdout is not a TTY; the app always writes to a colour terminal)');
  }
  try {
    const [render, themes] = await Promise.all([import('../src/ui/render.tsx'), import('../src/ui/theme.ts')]);
    const modules: UiModules = { mountApp: render.mountApp, theme: themes.THEMES.dark };
    const baseline = await stream('engine only, no UI (baseline)', undefined);
    const standard = await stream('engine + UI, as shipped', modules);
    const views = [
      await stream('engine + UI, symbol view open (Enter)', modules, '\r'),
      await stream('engine + UI, activity view open (l)', modules, 'l'),
      await stream('engine + UI, performance view open (p)', modules, 'p'),
    ];
    const latency = await keyLatency(modules);
    const reactBuild = process.env.NODE_ENV === 'production' ? 'production' : 'development';
    return { terminal: TERMINAL, symbols: SYMBOLS.length, baseline, standard, views, latency, reactBuild, notes };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
