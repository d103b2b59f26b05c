import { render, type Instance, type RenderOptions } from 'ink';
import type { Engine } from '../engine/index.ts';
import { App, type StrategyChoice } from './app.tsx';
import { KeySplittingStdin } from './key-splitting-stdin.ts';
import { LineDiffStdout } from './line-diff-stdout.ts';
import { MOUSE_OFF, MOUSE_ON } from './mouse.ts';
import { layOutFramesFast } from './ink-output.ts';

// Before the first frame: Ink's frames laid out by terminal-cells.ts (ink-output.ts).
await layOutFramesFast();

import { UiStore } from './store.ts';
import type { Theme } from './theme.ts';

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';

export interface TuiOptions {
  theme: Theme;
  strategies: readonly StrategyChoice[];
  quickQty: (symbol: string) => string;
  /** --confirm-orders: every order asks before it is placed. */
  confirmOrders?: boolean;
  /** The locale is not UTF-8: the screen is drawn in ASCII (glyphs.ts). */
  ascii?: boolean;
  /** Clicks and the wheel (default on; --no-mouse leaves the terminal's own selection alone). */
  mouse?: boolean;
  /** How often market data redraws (--refresh; default DATA_INTERVAL_MS). */
  refreshMs?: number;
  /** Lines for the log at start; a function is called once the screen's log listens, so nothing said meanwhile is lost. */
  notices?: readonly string[] | (() => readonly string[]);
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * Market data redraws the screen at most this often (--refresh); the trader's own orders, fills,
 * log lines and alerts within ACTIVITY_INTERVAL_MS; key presses at once (up to MAX_FPS).
 * Measured at 160x48 with 50 symbols at 1,000 quotes/s, before ink-output.ts: 100 ms cost 35% of a
 * core and 57 KB/s, 300 ms +11 to +14 points and 13 KB/s; the README's Benchmarks has this default's.
 */
export const DATA_INTERVAL_MS = 1000;
export const ACTIVITY_INTERVAL_MS = 250;
const MAX_FPS = 30;

export interface MountedApp {
  instance: Instance;
  store: UiStore;
  screen: LineDiffStdout;
}

/** Renders the app into a terminal the way the real program does (runTui and the benchmark share it). */
export function mountApp(engine: Engine, options: TuiOptions & { onQuit: () => void; onRender?: RenderOptions['onRender'] }): MountedApp {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const store = new UiStore(engine, { intervalMs: options.refreshMs ?? DATA_INTERVAL_MS, activityMs: ACTIVITY_INTERVAL_MS });
  const { market, symbols } = engine.snapshot({ recent: 0 });
  store.note('info', `${market.source} market, ${symbols.length} symbols. Press ? for the keys.`);
  const notices = typeof options.notices === 'function' ? options.notices() : (options.notices ?? []);
  for (const notice of notices) store.note('warn', notice);
  // Ink writes whole frames; only the cells that changed reach the terminal.
  const screen = new LineDiffStdout(stdout, { ascii: options.ascii ?? false });
  // Ink reads keys one at a time, even when several arrive in one read.
  const keys = new KeySplittingStdin(stdin);
  const instance = render(
    <App
      engine={engine}
      store={store}
      theme={options.theme}
      strategies={options.strategies}
      quickQty={options.quickQty}
      confirmOrders={options.confirmOrders}
      mouse={(listener) => {
        keys.on('mouse', listener);
        return () => keys.off('mouse', listener);
      }}
      onQuit={options.onQuit}
    />,
    // Ink's own Ctrl-C exit and console patching would bypass the terminal restore.
    { stdout: screen as unknown as NodeJS.WriteStream, stdin: keys as unknown as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: false, maxFps: MAX_FPS, onRender: options.onRender },
  );
  return { instance, store, screen };
}

export async function runTui(engine: Engine, options: TuiOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const mouse = options.mouse === false ? '' : MOUSE_ON;
  stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR + mouse);

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let restored = false;
  const restore = (code: number, message?: string) => {
    if (restored) return;
    restored = true;
    instance.unmount();
    store.dispose();
    stdin.setRawMode?.(false);
    stdout.write(MOUSE_OFF + SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    if (message) process.stderr.write(`paper-trader: ${message}\n`);
    finish(code);
  };
  const { instance, store } = mountApp(engine, { ...options, stdout, stdin, onQuit: () => restore(0) });

  const onSignal = (signal: NodeJS.Signals) => restore(signal === 'SIGHUP' ? 129 : 0);
  const onCrash = (error: unknown) => restore(1, `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // The terminal must come back even if the process is ended without a signal we catch.
  const onExit = () => {
    if (!restored) stdout.write(MOUSE_OFF + SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  };
  process.on('exit', onExit);

  const code = await finished;
  for (const signal of signals) process.off(signal, onSignal);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  process.off('exit', onExit);
  return code;
}
