// Drives a real terminal program through tmux, the way a person at a keyboard would: start it in a
// detached session of a given size, send keys, read the screen back as text, resize the window, and
// ask tmux about the terminal state the program left behind (alternate screen, cursor, exit status).
//
// Every call runs `tmux` directly (no shell), on a tmux server of our own (`-L`, `-f /dev/null`), so
// the tests neither see nor disturb anyone else's tmux sessions or ~/.tmux.conf.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDataDir } from './run-cli.ts';
import { until as pollUntil } from './until.ts';

export const hasTmux: boolean = (() => {
  try {
    return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

/** A tmux server private to this test process. */
export const SOCKET = `paper-trader-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tmuxQuiet(...args: string[]): void {
  spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { stdio: 'ignore' });
}

/** Quotes one word for the shell tmux runs the command with. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Stops the whole private tmux server (every session a test left behind) and removes its socket. */
export function killServer(): void {
  tmuxQuiet('kill-server');
  // tmux leaves the socket file behind when its last session ends.
  const uid = process.getuid?.();
  if (uid !== undefined) rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${uid}`, SOCKET), { force: true });
}

export interface Exit {
  /** The exit code when the program exited; undefined when a signal killed it. */
  status: number | undefined;
  /** The signal number when a signal killed it. */
  signal: number | undefined;
}

export type Matcher = string | RegExp | ((screen: string) => boolean);

function matches(screen: string, what: Matcher): boolean {
  if (typeof what === 'string') return screen.includes(what);
  if (what instanceof RegExp) return what.test(screen);
  return what(screen);
}

function describeMatcher(what: Matcher): string {
  return typeof what === 'function' ? 'the expected screen' : JSON.stringify(String(what));
}

/** Polls probe (no fixed sleeps) until it returns something truthy; throws with describe() after timeoutMs. */
export function until<T>(probe: () => T | undefined | null | false, timeoutMs: number, describe: () => string): Promise<T> {
  // The default `done` accepts only a truthy value, so what comes back is a T.
  return pollUntil(probe, { timeoutMs, everyMs: 50, message: () => `timed out after ${timeoutMs} ms: ${describe()}` }) as Promise<T>;
}

export class TmuxSession {
  /** Everything the program wrote to its terminal, raw (tmux pipe-pane). */
  readonly logFile: string;
  /** The program's PAPER_TRADER_DATA_DIR unless start() is given one: never the user's own config. */
  readonly dataDir: string = tempDataDir();

  constructor(readonly name: string) {
    this.logFile = join(tmpdir(), `${name}.out`);
  }

  /**
   * Starts `argv` in a detached session of cols x rows. The pane runs the program with `exec`, so
   * #{pane_pid} is the program's own pid, and stays on screen after it exits (remain-on-exit, with
   * tmux's "Pane is dead" line turned off so it cannot scroll the program's last output away).
   * The program is held back until logging is on, so the raw output log has every byte.
   */
  start(cols: number, rows: number, argv: readonly string[], env: Record<string, string> = {}): this {
    this.kill();
    rmSync(this.logFile, { force: true });
    const gate = `${this.name}-go`;
    // A UTF-8 terminal, whatever the machine's locale (a test of the ASCII screen sets LANG itself).
    const assignments = Object.entries({ PAPER_TRADER_DATA_DIR: this.dataDir, LANG: 'C.UTF-8', LC_ALL: '', LC_CTYPE: '', ...env }).map(([key, value]) => shellQuote(`${key}=${value}`));
    // `env -u CI`: Ink renders only the last frame when CI is set; the user's terminal has no CI.
    const command = `tmux wait-for ${shellQuote(gate)} && exec env -u CI ${[...assignments, ...argv.map(shellQuote)].join(' ')}`;
    tmux('new-session', '-d', '-s', this.name, '-x', String(cols), '-y', String(rows), command);
    tmux('set-option', '-w', '-t', this.name, 'remain-on-exit', 'on');
    tmux('set-option', '-w', '-t', this.name, 'remain-on-exit-format', '');
    tmux('pipe-pane', '-t', this.name, '-o', `cat >> ${shellQuote(this.logFile)}`);
    tmux('wait-for', '-S', gate);
    return this;
  }

  /**
   * Sends keys, one `send-keys` per key, so each is its own write to the terminal (tmux key names:
   * Enter, Escape, Tab, Up, Down, Left, Right, C-c; anything else is typed literally). Ink takes
   * keys that reach it in one read as one input ("3\t" is neither 3 nor Tab): between keys that
   * change what the app does with the next one, wait for the screen to show the first took effect.
   */
  keys(...keys: string[]): this {
    for (const key of keys) {
      if (/^(Enter|Escape|Tab|BTab|Up|Down|Left|Right|Space|BSpace|Home|End|PageUp|PageDown|[CM]-.)$/.test(key)) tmux('send-keys', '-t', this.name, key);
      else tmux('send-keys', '-t', this.name, '-l', key);
    }
    return this;
  }

  /**
   * The visible screen as text, one line per terminal row (tmux trims trailing blanks).
   * joinWrapped: a line the terminal had to wrap (the program wrote past the last column) comes
   * back as one long line, trailing spaces kept. styles: with the SGR escapes (colour, inverse).
   */
  screen(options: { joinWrapped?: boolean; styles?: boolean } = {}): string {
    const flags = ['-p', ...(options.joinWrapped ? ['-J'] : []), ...(options.styles ? ['-e'] : [])];
    return tmux('capture-pane', ...flags, '-t', this.name);
  }

  lines(options: { joinWrapped?: boolean; styles?: boolean } = {}): string[] {
    return this.screen(options).replace(/\n$/, '').split('\n');
  }

  /** Polls the screen until `what` is on it; throws with the last screen after timeoutMs. */
  async waitFor(what: Matcher, timeoutMs = 10_000): Promise<string> {
    return pollUntil(() => this.screen(), {
      timeoutMs,
      everyMs: 50,
      done: (screen) => matches(screen, what),
      message: (screen) => `${describeMatcher(what)} not on screen after ${timeoutMs} ms; the screen:\n${screen}`,
    });
  }

  /** Polls the screen until `what` is gone from it. */
  async waitForGone(what: Matcher, timeoutMs = 10_000): Promise<string> {
    return this.waitFor((screen) => !matches(screen, what), timeoutMs);
  }

  resize(cols: number, rows: number): this {
    tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
    return this;
  }

  size(): { cols: number; rows: number } {
    const [cols, rows] = this.display('#{pane_width} #{pane_height}').split(' ').map(Number);
    return { cols: cols ?? 0, rows: rows ?? 0 };
  }

  display(format: string): string {
    return tmux('display-message', '-p', '-t', this.name, format).replace(/\n$/, '');
  }

  /** Is the program's terminal on the alternate screen? */
  alternateOn(): boolean {
    return this.display('#{alternate_on}') === '1';
  }

  /**
   * Is the cursor visible, as tmux sees it? Only meaningful while the program runs: when a pane
   * dies, tmux itself hides the cursor of the dead pane. After exit, use cursorShownAtExit().
   */
  cursorVisible(): boolean {
    return this.display('#{cursor_flag}') === '1';
  }

  /** The raw bytes the program wrote (as text). */
  output(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Whether the program left mouse reporting off: its last mouse on/off (1000h/1000l) written. */
  mouseOffAtExit(): boolean {
    const toggles = this.output().match(/\x1b\[\?1000[hl]/g) ?? [];
    return toggles.length === 0 || toggles.at(-1) === '\x1b[?1000l';
  }

  /**
   * Did the program leave the cursor visible? The last cursor show/hide (DECTCEM, CSI ?25h / l) in
   * everything it wrote must be a show.
   */
  cursorShownAtExit(): boolean {
    const toggles = this.output().match(/\x1b\[\?25[hl]/g) ?? [];
    return toggles.at(-1) === '\x1b[?25h';
  }

  /** The program's pid (the pane runs it with exec). */
  pid(): number {
    return Number(this.display('#{pane_pid}'));
  }

  paneDead(): boolean {
    return this.display('#{pane_dead}') === '1';
  }

  /** The exit of a dead pane, or undefined while tmux has not reaped it yet. */
  exit(): Exit | undefined {
    const [dead, status, signal] = this.display('#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}').split('|');
    if (dead !== '1' || (!status && !signal)) return undefined;
    return { status: status ? Number(status) : undefined, signal: signal ? Number(signal) : undefined };
  }

  /** Waits until the program has exited and tmux knows how. */
  async waitForExit(timeoutMs = 10_000): Promise<Exit> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = this.exit();
      if (exit) {
        await this.#outputSettled(deadline);
        return exit;
      }
      if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; the screen:\n${this.screen()}`);
      // tmux 3.3 sometimes misses the SIGCHLD of a pane's process and leaves it a zombie, the pane
      // dead but its status unknown; a job of its own makes the server reap every child again.
      if (this.paneDead()) tmuxQuiet('run-shell', '-t', this.name, 'true');
      await sleep(50);
    }
  }

  /** Waits until the raw output log stops growing (pipe-pane copies the last bytes a moment later). */
  async #outputSettled(deadline: number): Promise<void> {
    let size = -1;
    for (;;) {
      const now = this.output().length;
      if (now === size || Date.now() > deadline) return;
      size = now;
      await sleep(100);
    }
  }

  kill(): void {
    tmuxQuiet('kill-session', '-t', this.name);
  }

  /** Ends the session and removes its output log and data directory. */
  dispose(): void {
    this.kill();
    rmSync(this.logFile, { force: true });
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** start(session, cols, rows, command): a new session running the command. */
export function start(session: string, cols: number, rows: number, argv: readonly string[], env?: Record<string, string>): TmuxSession {
  return new TmuxSession(session).start(cols, rows, argv, env);
}
