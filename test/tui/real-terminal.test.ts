// The real binary in a real terminal (tmux), driven the way a person would: keys in, screen out,
// and what the terminal is left in afterwards (alternate screen, cursor, exit status).
// Each case has its own tmux session on a tmux server private to this process.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasTmux, killServer, start, until, type TmuxSession } from '../helpers/tmux.ts';

const BIN = fileURLToPath(new URL('../../bin/paper-trader.js', import.meta.url));
const ARGV = [process.execPath, BIN, '--symbols', 'AAPL', 'MSFT'];
const ENV = { TERM: 'xterm-256color' };
const TITLES = ['Quotes', 'Positions', 'Orders', 'Equity', 'Log'] as const;
type Title = (typeof TITLES)[number];

if (!hasTmux) console.warn('tmux not installed: apt-get install -y tmux to run the real-terminal tests');

let sessions: TmuxSession[] = [];
let counter = 0;

function open(cols: number, rows: number, argv: readonly string[] = ARGV): TmuxSession {
  const session = start(`paper-trader-${process.pid}-${++counter}`, cols, rows, argv, ENV);
  sessions.push(session);
  return session;
}

/** Starts the app and waits until the UI is up and quotes are flowing. */
async function openApp(cols = 100, rows = 30, argv?: readonly string[]): Promise<TmuxSession> {
  const session = open(cols, rows, argv);
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

/** b, qty, Tab, → (market → limit), Tab, price, Enter: one working buy limit order. */
async function placeLimitBuy(session: TmuxSession, qty: string, price: string): Promise<void> {
  session.keys('b');
  await session.waitFor(/› Qty/);
  session.keys(qty);
  await session.waitFor(new RegExp(`Qty\\s+${qty}\\b`));
  session.keys('Tab');
  await session.waitFor(/› Type/);
  session.keys('Right');
  await session.waitFor(/Type\s+\S*\s*limit/);
  session.keys('Tab');
  await session.waitFor(/› Limit price/);
  session.keys(price);
  await session.waitFor(new RegExp(`Limit price\\s+${price.replace('.', '\\.')}`));
  session.keys('Enter');
  await session.waitFor((screen) => !screen.includes('› Limit price') && /^\s*\S+\s+buy\s+AAPL\b.*\blimit\b/m.test(pane(screen, 'Orders')));
}

/** After the program exited: off the alternate screen, cursor shown, summary on the normal screen. */
function expectRestored(session: TmuxSession): void {
  expect(session.alternateOn(), 'still on the alternate screen').toBe(false);
  // tmux hides the cursor of a dead pane itself, so #{cursor_flag} says nothing after exit: read
  // the last cursor show/hide the program wrote instead.
  expect(session.cursorShownAtExit(), 'the cursor was left hidden').toBe(true);
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
    const lines = session.lines();
    for (const title of TITLES) expect(titleCount(lines, title), title).toBe(1);
    expect(lines[0]).toMatch(/^ Quotes /);
    expect(statusRow(lines)).toBeGreaterThan(0);
    expect(lines.find((line) => line.startsWith('AAPL'))).toMatch(/^AAPL\s+\d+\.\d{2}\s+\d+\.\d{2}/);
    expect(lines.find((line) => line.startsWith('MSFT'))).toMatch(/^MSFT\s+\d+\.\d{2}/);
  });

  it('trades with the hotkeys: B buys at market, b places a limit order, x cancels it', async () => {
    const session = await openApp(100, 30);

    session.keys('B');
    const bought = await session.waitFor((screen) => /^AAPL\s+10\s+\d+\.\d{2}/m.test(pane(screen, 'Positions')) && /buy 10 AAPL @ \d+\.\d{2}/.test(pane(screen, 'Log')));
    expect(pane(bought, 'Positions')).toMatch(/^AAPL\s+10\s+\d+\.\d{2}/m);

    await placeLimitBuy(session, '3', '1.00');
    const working = pane(session.screen(), 'Orders');
    expect(working).toMatch(/1 working/);
    expect(working).toMatch(/^\s*(\S+)\s+buy\s+AAPL\s+limit\s+3\s+0\s+L 1\.00/m);
    const id = /^\s*(\S+)\s+buy\s+AAPL\s+limit/m.exec(working)?.[1] ?? '';

    session.keys('Tab');
    await focus(session, 'Positions');
    session.keys('Tab');
    await focus(session, 'Orders');
    session.keys('x');
    const canceled = await session.waitFor((screen) => pane(screen, 'Orders').includes('no working orders'));
    expect(pane(canceled, 'Orders')).not.toMatch(/L 1\.00/);
    expect(pane(canceled, 'Orders')).toMatch(/0 working/);
    expect(pane(canceled, 'Log')).toContain(`canceled ${id}`);
    // The position from B is untouched.
    expect(pane(canceled, 'Positions')).toMatch(/^AAPL\s+10\s/m);
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
            // The title line is right-aligned to the new width, not a stale frame cut off.
            [...(lines[0] ?? '').trimEnd()].length === cols &&
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

  it('q with a working order asks first; n keeps running; q, y exits 0 and restores the terminal', async () => {
    const session = await openApp(100, 30);
    await placeLimitBuy(session, '2', '1.00');

    session.keys('q');
    await session.waitFor('Quit?');
    session.keys('n');
    await session.waitForGone('Quit?');
    expect(session.paneDead()).toBe(false);
    expect(session.alternateOn()).toBe(true);
    expect(pane(session.screen(), 'Orders')).toMatch(/1 working/);

    session.keys('q');
    await session.waitFor('Quit?');
    session.keys('y');
    const exit = await session.waitForExit();
    expect(exit).toEqual({ status: 0, signal: undefined });
    expectRestored(session);
    expectSummary(session);
  });

  it.each([
    ['SIGTERM', undefined],
    ['SIGHUP', 129],
  ] as const)('%s restores the terminal', async (signal, status) => {
    const session = await openApp(100, 30);
    const pid = session.pid();
    expect(pid).toBeGreaterThan(0);
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
    await placeLimitBuy(session, '1', '1.00');
    session.keys('C-c');
    const exit = await session.waitForExit();
    expect(session.screen()).not.toContain('Quit?');
    expect(exit).toEqual({ status: 0, signal: undefined });
    expectRestored(session);
    expectSummary(session);
  });
});
