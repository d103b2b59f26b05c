import { render } from 'ink';
import type { Engine } from '../engine/index.ts';
import { App, type StrategyChoice } from './app.tsx';
import { LineDiffStdout } from './line-diff-stdout.ts';
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
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * Runs the full-screen UI until the user quits or a signal ends it. Every way out (q, Ctrl-C,
 * SIGTERM, SIGHUP when the SSH connection drops, an uncaught error) leaves the alternate screen,
 * shows the cursor and gives the terminal back in its normal mode. Resolves with the exit code.
 */
export async function runTui(engine: Engine, options: TuiOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const store = new UiStore(engine);
  const { market, symbols } = engine.snapshot({ recent: 0 });
  store.note('info', `${market.source} market, ${symbols.length} symbols. Press ? for the keys.`);
  stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR);

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let restored = false;
  const restore = (code: number, message?: string) => {
    if (restored) return;
    restored = true;
    instance.unmount();
    store.dispose();
    stdin.setRawMode?.(false);
    stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    if (message) process.stderr.write(`paper-trader: ${message}\n`);
    finish(code);
  };

  // Ink writes whole frames; only the lines that changed reach the terminal.
  const screen = new LineDiffStdout(stdout);
  const instance = render(
    <App engine={engine} store={store} theme={options.theme} strategies={options.strategies} quickQty={options.quickQty} onQuit={() => restore(0)} />,
    // Ink's own Ctrl-C exit and console patching would bypass the restore above.
    { stdout: screen as unknown as NodeJS.WriteStream, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 10 },
  );

  const onSignal = (signal: NodeJS.Signals) => restore(signal === 'SIGHUP' ? 129 : 0);
  const onCrash = (error: unknown) => restore(1, `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const signal of signals) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // The terminal must come back even if the process is ended without a signal we catch.
  const onExit = () => {
    if (!restored) stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  };
  process.on('exit', onExit);

  const code = await finished;
  for (const signal of signals) process.off(signal, onSignal);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  process.off('exit', onExit);
  return code;
}
