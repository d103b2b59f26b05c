// Renders an Ink element into a terminal of a chosen size (ink-testing-library's has fixed 100
// columns and no rows), frame by frame, in debug mode so every frame is written even with CI=true.
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';
import { KeySplittingStdin } from '../../src/ui/key-splitting-stdin.ts';
import { Keyboard } from './keyboard.ts';
import { until } from './until.ts';

export { Keyboard };

class Screen extends EventEmitter {
  columns: number;
  rows: number;
  readonly isTTY = true;
  readonly frames: string[] = [];
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

export interface RenderedScreen {
  /** The latest frame, ANSI escapes removed. */
  frame(): string;
  /** The latest frame as written, escapes and all. */
  rawFrame(): string;
  frameCount(): number;
  press(input: string): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  /** Waits (without fixed sleeps) until the frame satisfies the check; fails after timeoutMs. */
  waitFor(check: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

export const stripAnsi = (text: string): string => text.replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, '');

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** With splitKeys, keys pass through the app's KeySplittingStdin, as in the real program. */
export function renderScreen(element: ReactElement, columns: number, rows: number, options: { splitKeys?: boolean } = {}): RenderedScreen {
  const screen = new Screen(columns, rows);
  const keyboard = new Keyboard();
  const stdin = options.splitKeys ? new KeySplittingStdin(keyboard as unknown as NodeJS.ReadStream) : keyboard;
  const instance = render(element, {
    stdout: screen as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const rawFrame = () => screen.frames.at(-1) ?? '';
  const frame = () => stripAnsi(rawFrame());
  const waitFor = (check: (frame: string) => boolean, timeoutMs = 2000): Promise<string> =>
    until(frame, { timeoutMs, everyMs: 5, done: check, message: (current) => `the screen never showed what was expected; last frame:\n${current}` });
  return {
    frame,
    rawFrame,
    frameCount: () => screen.frames.length,
    press: async (input) => {
      keyboard.write(input);
      await tick();
    },
    resize: async (newColumns, newRows) => {
      screen.columns = newColumns;
      screen.rows = newRows;
      screen.emit('resize');
      await tick();
    },
    waitFor,
    unmount: () => instance.unmount(),
  };
}

export const KEYS = { enter: '\r', tab: '\t', escape: '\u001B', up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', backspace: '\u007F', ctrlC: '\u0003' } as const;
