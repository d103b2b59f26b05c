// The real binary in a real terminal (tmux), driven the way a person would: keys in, screen out,
// and what the terminal is left in afterwards (alternate screen, cursor, exit status).
// Each case has its own tmux session on a tmux server private to this process.
import { runCli } from '../helpers/run-cli.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { hasTmux, killServer, start, until, type TmuxSession } from '../helpers/tmux.ts';

const BIN = fileURLToPath(new URL('../../bin/paper-trader.js', import.meta.url));
const ARGV = [process.execPath, BIN, '--symbols', 'AAPL', 'MSFT'];
const ENV = { TERM: 'xterm-256color' };
const TITLES = ['Quotes', 'Positions', 'Orders', 'Equity', 'Log'] as const;
type Title = (typeof TITLES)[number];

if (!hasTmux) console.warn('tmux not installed: apt-get install -y tmux to run the real-terminal tests');

let sessions: TmuxSession[] = [];
let counter = 0;

function open(cols: number, rows: number, argv: readonly string[] = ARGV, env: Record<string, string> = {}): TmuxSession {
  const session = start(`paper-trader-${process.pid}-${++counter}`, cols, rows, argv, { ...ENV, ...env });
  sessions.push(session);
  return session;
}

/** Starts the app and waits until the UI is up and quotes are flowing. */
async function openApp(cols = 100, rows = 30, argv?: readonly string[], env?: Record<string, string>): Promise<TmuxSession> {
  const session = open(cols, rows, argv, env);
  await session.waitFor(/^AAPL\s+\d+\.\d{2}/m, 20_000);
  return session;
}

/** " Log " is " Log" on screen when nothing follows it: the terminal does not keep trailing blanks. */
const titleAt = (title: Title, where: 'start' | 'anywhere') => new RegExp(`${where === 'start' ? '^' : ''} ${title}(?: |$)`);

/** How many times a pane title is on screen. */
function titleCount(lines: readonly string[], title: Title): number {
  return lines.filter((line) => titleAt(title, 'anywhere').test(line)).length;
}

/** The lines of one pane in the one-column layout: from its title line to the next pane's title. */
function pane(screen: string, title: Title): string {
  const lines = screen.split('\n');
  const first = lines.findIndex((line) => titleAt(title, 'start').test(line));
  if (first === -1) return '';
  const next = lines.findIndex((line, i) => i > first && TITLES.some((other) => titleAt(other, 'start').test(line)));
  return lines.slice(first, next === -1 ? undefined : next).join('\n');
}

/** The 1-based row of the status bar (the line that starts with "simulated"), or 0. */
function statusRow(lines: readonly string[]): number {
  return lines.findIndex((line) => line.startsWith('simulated')) + 1;
}

/** Titles shown inverse (the focused pane), read from the screen with its SGR escapes. */
function focusedPanes(session: TmuxSession): Title[] {
  const styled = session.screen({ styles: true });
  return TITLES.filter((title) => {
    const pattern = new RegExp(`((?:\\x1b\\[[\\d;]*m)+) ${title} `, 'g');
    return [...styled.matchAll(pattern)].some((match) => /\x1b\[(?:[\d;]*;)?7(?:;[\d;]*)?m/.test(match[1] ?? ''));
  });
}

async function focus(session: TmuxSession, title: Title): Promise<void> {
  await until(() => focusedPanes(session).includes(title), 5_000, () => `${title} never focused (focused: ${focusedPanes(session).join(', ') || 'none'}); the screen:\n${session.screen()}`);
}

/**
 * Polls the screen until every expectation in check holds on one capture, and returns that screen.
 * A capture can land between two halves of a frame (tmux 3.3 has no synchronized output), so
 * expectations are never made on a single capture taken once.
 */
async function expectScreen(session: TmuxSession, check: (screen: string) => void, timeoutMs = 10_000): Promise<string> {
  return vi.waitFor(
    () => {
      const screen = session.screen();
      try {
        check(screen);
      } catch (error) {
        if (error instanceof Error) error.message += `\nthe screen:\n${screen}`;
        throw error;
      }
      return screen;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

/**
 * A person reads a dialog before typing into it. The first key into a dialog that has just been
 * painted can otherwise be lost: Ink attaches the dialog's key handler (useInput) in an effect that
 * runs after the frame is written, and the app's own handler ignores keys while a dialog is open.
 */
const readDialog = () => sleep(150);

const ORDER_ROW = /^\s*(\S+)\s+buy\s+AAPL\s+limit\s+(\d+)\s+0\s+L 1\.00\b/m;

/** b, qty, Tab, → (market → limit), Tab, price 1.00, Enter: one working buy limit order far below the market. */
async function placeLimitBuy(session: TmuxSession, qty: string): Promise<string> {
  session.keys('b');
  await session.waitFor(/› Qty/);
  await readDialog();
  session.keys(qty);
  await session.waitFor(new RegExp(`› Qty\\s+${qty}\\b`));
  session.keys('Tab');
  await session.waitFor(/› Type/);
  session.keys('Right');
  await session.waitFor(/› Type\s+\S*\s*limit/);
  session.keys('Tab');
  await session.waitFor(/› Limit price/);
  session.keys('1.00');
  await session.waitFor(/› Limit price\s+1\.00/);
  session.keys('Enter');
  const screen = await expectScreen(session, (screen) => {
    expect(screen).not.toContain('Limit price');
    const orders = pane(screen, 'Orders');
    expect(orders).toMatch(/\b1 working/);
    expect(ORDER_ROW.exec(orders)?.[2]).toBe(qty);
  });
  return ORDER_ROW.exec(pane(screen, 'Orders'))?.[1] ?? '';
}

/** After the program exited: off the alternate screen, cursor shown, summary on the normal screen. */
function expectRestored(session: TmuxSession): void {
  expect(session.alternateOn(), 'still on the alternate screen').toBe(false);
  // tmux hides the cursor of a dead pane itself, so #{cursor_flag} says nothing after exit: read
  // the last cursor show/hide the program wrote instead.
  expect(session.cursorShownAtExit(), 'the cursor was left hidden').toBe(true);
  expect(session.mouseOffAtExit(), 'mouse reporting was left on').toBe(true);
}

function expectSummary(session: TmuxSession): void {
  const screen = session.screen();
  expect(screen).toMatch(/strategy .+ on AAPL MSFT, simulated market/);
  expect(screen).toMatch(/equity \$[\d,]+\.\d{2}/);
  // The UI was on the alternate screen: none of it is left on the normal one.
  for (const title of TITLES) expect(screen).not.toMatch(titleAt(title, 'start'));
}

describe.skipIf(!hasTmux)('paper-trader in a real terminal (tmux)', () => {
  afterEach(() => {
    for (const session of sessions) session.dispose();
    sessions = [];
  });
  afterAll(() => killServer());

  it('opens full screen on the alternate screen with every pane, the status bar and live quotes', async () => {
    const session = await openApp(100, 30);
    expect(session.alternateOn()).toBe(true);
    expect(session.cursorVisible(), 'the cursor shows over the UI').toBe(false);
    await expectScreen(session, (screen) => {
      const lines = screen.split('\n');
      for (const title of TITLES) expect(titleCount(lines, title), title).toBe(1);
      expect(lines[0]).toMatch(/^ Quotes /);
      expect(statusRow(lines)).toBeGreaterThan(0);
      expect(lines.find((line) => line.startsWith('AAPL'))).toMatch(/^AAPL\s+\d+\.\d{2}\s+\d+\.\d{2}/);
      expect(lines.find((line) => line.startsWith('MSFT'))).toMatch(/^MSFT\s+\d+\.\d{2}/);
    });
  });

  it("offers a strategy from the data directory's strategies folder in the picker (t), and runs it by name", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-tui-strategies-'));
    mkdirSync(join(dataDir, 'strategies'));
    writeFileSync(
      join(dataDir, 'strategies', 'mine.ts'),
      "import { z } from 'zod';\nimport { defineStrategy } from 'paper-trader';\nexport default defineStrategy({ name: 'my_strategy', description: 'watches', params: z.object({}).strict(), create: () => ({}) });\n",
    );
    try {
      const session = await openApp(100, 30, ARGV, { PAPER_TRADER_DATA_DIR: dataDir });
      session.keys('t');
      await expectScreen(session, (screen) => expect(screen).toMatch(/my_strategy +watches/));
      session.keys('Down', 'Down', 'Down', 'Enter');
      await expectScreen(session, (screen) => expect(screen).toContain('{}'));
      session.keys('Enter');
      await expectScreen(session, (screen) => expect(screen).toMatch(/strategy my_strategy +\d{2}:\d{2}:\d{2} UTC/));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('trades with the hotkeys: B buys at market, b places a limit order, x cancels it', async () => {
    const session = await openApp(100, 30);

    session.keys('B');
    await expectScreen(session, (screen) => {
      expect(pane(screen, 'Positions')).toMatch(/^AAPL\s+10\s+\d+\.\d{2}/m);
      expect(pane(screen, 'Log')).toMatch(/buy 10 AAPL @ \d+\.\d{2}/);
    });

    const id = await placeLimitBuy(session, '3');
    expect(id).not.toBe('');

    session.keys('Tab');
    await focus(session, 'Positions');
    session.keys('Tab');
    await focus(session, 'Orders');
    session.keys('x');
    await expectScreen(session, (screen) => {
      const orders = pane(screen, 'Orders');
      expect(orders).toContain('no working orders');
      expect(orders).toMatch(/\b0 working/);
      expect(orders).not.toMatch(ORDER_ROW);
      expect(pane(screen, 'Log')).toContain(`canceled ${id}`);
      // The position from B is untouched.
      expect(pane(screen, 'Positions')).toMatch(/^AAPL\s+10\s/m);
    });
  });

  it('re-lays out on resize: 80x24 one column, 160x48 two columns, nothing wider than the terminal', async () => {
    const session = await openApp(100, 30);

    /** The screen once laid out for cols x rows (polled: the app redraws on SIGWINCH). */
    const laidOut = (cols: number, rows: number, extra: (lines: string[]) => boolean) =>
      until(
        () => {
          const lines = session.lines();
          const joined = session.lines({ joinWrapped: true });
          const ok =
            lines.length === rows &&
            joined.length === rows && // nothing wrapped onto the next row
            joined.every((line) => [...line.trimEnd()].length <= cols) &&
            lines[0]?.startsWith(' Quotes ') === true && // the top did not scroll away
            TITLES.every((title) => titleCount(lines, title) === 1) &&
            statusRow(lines) > 0 &&
            statusRow(lines) <= rows - 1 &&
            // The title line's info is right-aligned to the new width (a margin of a column or
            // two is fine), not a stale frame cut off at the right edge.
            [...(lines[0] ?? '').trimEnd()].length >= cols - 3 &&
            extra(lines);
          return ok && lines;
        },
        10_000,
        () => `no clean ${cols}x${rows} layout; the screen (joined):\n${session.screen({ joinWrapped: true })}`,
      );

    session.resize(80, 24);
    expect(session.size()).toEqual({ cols: 80, rows: 24 });
    const small = await laidOut(80, 24, (lines) => !lines.some((line) => line.includes(' Quotes ') && line.includes(' Equity ')));
    expect(statusRow(small)).toBeLessThanOrEqual(23);
    expect(small[23]).toBe('');

    session.resize(160, 48);
    expect(session.size()).toEqual({ cols: 160, rows: 48 });
    const large = await laidOut(160, 48, (lines) => lines.some((line) => line.startsWith(' Quotes ') && line.includes(' Equity ')));
    expect(statusRow(large)).toBeLessThanOrEqual(47);
    expect(statusRow(large)).toBeGreaterThan(30); // it grew with the terminal
    expect(large[47]).toBe('');
    expect(large.find((line) => line.startsWith(' Quotes '))).toContain(' Equity ');
  });

  it('q with a working order quits at once (the account keeps it), exits 0 and restores the terminal; the next run has it', async () => {
    const session = await openApp(100, 30);
    await placeLimitBuy(session, '2');
    await expectScreen(session, (screen) => expect(pane(screen, 'Orders')).toMatch(/\b1 working/));

    session.keys('q');
    const exit = await session.waitForExit();
    expect(exit).toEqual({ status: 0, signal: undefined });
    expectRestored(session);
    expectSummary(session);

    const listed = await runCli(['accounts'], { env: { PAPER_TRADER_DATA_DIR: session.dataDir } });
    expect(listed.stdout).toMatch(/^default\s+.*1 orders \(1 working\)/m);
  });

  it.each([
    ['SIGTERM', undefined],
    ['SIGHUP', 129],
  ] as const)('%s restores the terminal', async (signal, status) => {
    const session = await openApp(100, 30);
    const pid = session.pid();
    expect(pid).toBeGreaterThan(0);
    // The pane runs the app with exec: its pid is node's, not a shell's.
    if (existsSync(`/proc/${pid}/cmdline`)) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(BIN);
    process.kill(pid, signal);
    const exit = await session.waitForExit();
    // Exited through its handler, not killed by the signal.
    expect(exit.signal).toBeUndefined();
    if (status === undefined) expect(exit.status).toEqual(expect.any(Number));
    else expect(exit.status).toBe(status);
    expectRestored(session);
  });

  it('Ctrl-C quits at once, even with a working order, and restores the terminal', async () => {
    const session = await openApp(100, 30);
    await placeLimitBuy(session, '1');
    session.keys('C-c');
    // No y is ever sent: it exits without asking.
    const exit = await session.waitForExit(5_000);
    expect(exit).toEqual({ status: 0, signal: undefined });
    expectRestored(session);
    expectSummary(session);
  });

  it('plays a replay at its recorded pace with --speed: the screen follows the recording, orders fill on it, a late quote triggers no stop', async () => {
    const t0 = Date.parse('2026-11-03T15:00:00Z');
    // Thirty seconds of AAPL at 230.00 / 230.02, then a quote delivered three seconds late (not stale) showing the ask at 231.52.
    const events = Array.from({ length: 31 }, (_, s) => ({ ev: 'Q', sym: 'AAPL', bp: 230, bs: 5, ap: 230.02, as: 5, t: t0 + s * 1000 }));
    events.push({ ev: 'Q', sym: 'AAPL', bp: 231.5, bs: 5, ap: 231.52, as: 5, t: t0 + 27_000 });
    const file = join(mkdtempSync(join(tmpdir(), 'paper-trader-paced-')), 'session.jsonl');
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const session = open(100, 30, [process.execPath, BIN, '--replay', file, '--speed', '2']);
    await session.waitFor(/^AAPL\s+230\.00\s+230\.02/m, 20_000);
    expect(session.screen()).toMatch(/^replay /m);
    session.keys('B');
    await expectScreen(session, (screen) => expect(pane(screen, 'Positions')).toMatch(/^AAPL\s+10\s+230\.02/m));
    // A buy stop at 231.00: only the late quote ever reaches it.
    session.keys('b', '5', 'Tab', 'Right', 'Right', 'Tab', '231', 'Enter');
    const placed = await expectScreen(session, (screen) => expect(pane(screen, 'Log')).toMatch(/(\d\d:\d\d:\d\d) o-2 buy 5 AAPL stop: accepted/));
    // Placed while the recording still had the late quote to come (at 15:00:30), or the test proves nothing.
    expect(/(\d\d:\d\d:\d\d) o-2 buy 5 AAPL stop: accepted/.exec(placed)![1]! < '15:00:30').toBe(true);
    await session.waitFor(/replay ended/, 30_000);
    await expectScreen(session, (screen) => {
      expect(pane(screen, 'Orders')).toMatch(/\b1 working/);
      expect(pane(screen, 'Orders')).toMatch(/buy\s+AAPL\s+stop\s+5\s+0\s+S 231\.00\s+day accepted/);
      expect(screen).toMatch(/^replay ended .* 15:00:30 UTC/m);
    });
    session.keys('q');
    await session.waitFor(/Quit\?/, 5_000);
    session.keys('y');
    const exit = await session.waitForExit();
    expect(exit).toEqual({ status: 0, signal: undefined });
    expectRestored(session);
  });

  it('Enter opens the symbol view with candles, A sets an alert there, l and p open the activity and performance, Esc comes back; all within 80x24', async () => {
    const session = await openApp(80, 24);
    session.keys('Enter');
    await expectScreen(session, (screen) => {
      expect(screen).toMatch(/^ AAPL +last \d+\.\d{2} /m);
      expect(screen).toContain('5-minute candles, New York time');
      expect(screen).toMatch(/^Position +none/m);
    });
    session.keys('A', '9999', 'Enter');
    await expectScreen(session, (screen) => expect(screen).toMatch(/^Alerts +above 9999\.00/m));
    session.keys('l');
    await expectScreen(session, (screen) => expect(screen).toMatch(/^ Activity · all /m));
    session.keys('p');
    await expectScreen(session, (screen) => expect(screen).toMatch(/^ Performance /m));
    for (const line of session.lines({ joinWrapped: true })) expect([...line.trimEnd()].length).toBeLessThanOrEqual(80);
    session.keys('Escape');
    await expectScreen(session, (screen) => expect(screen).toMatch(/^ Quotes /m));
  });

  it('a click on a row selects it (the terminal reports the mouse), and Enter opens that symbol', async () => {
    const session = await openApp(100, 30);
    // Row 4 of the screen (1-based), column 3: MSFT, the second quote (xterm's SGR report, as a terminal sends it).
    session.keys('\u001B[<0;3;4M', '\u001B[<0;3;4m');
    session.keys('Enter');
    await expectScreen(session, (screen) => expect(screen).toMatch(/^ MSFT +last /m));
  });

  it('a terminal whose locale is not UTF-8 gets the same screen in ASCII', async () => {
    const session = await openApp(100, 30, ARGV, { LANG: 'C' });
    await expectScreen(session, (screen) => {
      expect(screen).toMatch(/^ Quotes /m);
      // The equity chart's axis and line, and the sparklines, drawn with ASCII.
      expect(screen).toMatch(/\$[\d,.]+\|/);
      expect([...screen].every((char) => char.charCodeAt(0) < 128)).toBe(true);
    });
  });

  it('TERM=dumb cannot draw a screen: the run goes headless and says why', async () => {
    const session = open(100, 30, ARGV, { TERM: 'dumb' });
    await session.waitFor(/TERM=dumb cannot draw the full screen: running headless/, 20_000);
    await session.waitFor(/^\d\d:\d\d:\d\d simulated .*equity \$/m, 20_000);
    expect(session.alternateOn()).toBe(false);
    session.keys('C-c');
    const exit = await session.waitForExit(10_000);
    expect(exit.status).toBe(0);
  });
});
