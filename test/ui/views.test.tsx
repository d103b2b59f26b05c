// The full-screen views on the whole app: the symbol view (Enter), the activity view (l), the
// performance view (p), symbol search (/) and alerts (A), each driven by keys as a trader would.
import { describe, expect, it } from 'vitest';
import { appRigPerTest, type AppRig } from '../helpers/app-rig.tsx';
import { VIEW_SESSION } from '../helpers/view-session.ts';
import { KEYS } from '../helpers/render-screen.tsx';

const session = VIEW_SESSION;
const app = appRigPerTest();
let rig: AppRig;

const lineOf = (frame: string, text: string): string => frame.split('\n').find((line) => line.includes(text)) ?? '';

describe('the symbol view (Enter)', () => {
  it('shows the quote with sizes, candles with a price and a time axis, and the position; Esc goes back', async () => {
    rig = await app.open(session, { columns: 100, rows: 30 });
    await rig.step(4);
    await rig.press(KEYS.enter);
    // The candles load after the view opens ("loading…" until then): wait for them, not just the title.
    const frame = await rig.screen.waitFor((f) => f.includes('5-minute candles') && !f.includes('loading…'));
    expect(lineOf(frame, ' AAPL ')).toMatch(/last 231\.00 .*bid 228\.50 × 500\s+ask 228\.54 × 500\s+spread 0\.04/);
    // Two 5-minute candles: 10:00 (230.00 up to 231.00) and 10:05 (down to 228.52); the axis names 10:00 New York.
    const lines = frame.split('\n');
    expect(lines.filter((line) => line.includes('█')).length).toBeGreaterThan(0);
    expect(lines.some((line) => /^10:00\s*$/.test(line))).toBe(true);
    expect(frame).toMatch(/231\.00\s*\n/);
    expect(lineOf(frame, 'Position')).toContain('none');
    expect(lineOf(frame, 'Alerts')).toContain('none: A sets one');
    await rig.press('r');
    await rig.screen.waitFor((f) => f.includes('[5D]') && f.includes('30-minute candles'));
    await rig.press(KEYS.escape);
    await rig.screen.waitFor((f) => f.includes(' Quotes '));
  });

  it('b opens a ticket prefilled at the ask; with a long position s opens one for the qty that closes it', async () => {
    rig = await app.open(session);
    await rig.step(5);
    await rig.press('B', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('Position') && f.includes('10 @ 232.04'));
    await rig.press('b');
    const buy = await rig.screen.waitFor((f) => f.includes('Buy AAPL'));
    expect(lineOf(buy, 'Qty')).toContain('10');
    expect(lineOf(buy, 'Type')).toContain('limit');
    expect(lineOf(buy, 'Limit price')).toContain('232.04');
    await rig.press(KEYS.escape, 's');
    const sell = await rig.screen.waitFor((f) => f.includes('Sell AAPL'));
    expect(lineOf(sell, 'Qty')).toContain('10');
    expect(lineOf(sell, 'Limit price')).toContain('232');
    await rig.press(KEYS.escape);
  });

  it('a bracket from the view: its legs show under Orders with their prices', async () => {
    rig = await app.open(session);
    await rig.step(5);
    await rig.press(KEYS.enter, 'b');
    await rig.screen.waitFor((f) => f.includes('Buy AAPL'));
    await rig.press(KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, '2', '4', '0', KEYS.tab, '2', '2', '5', KEYS.enter);
    const frame = await rig.screen.waitFor((f) => f.includes('stop 225.00'));
    expect(frame).toMatch(/o-2 sell 10 limit 240\.00 day accepted \(bracket\)/);
    expect(frame).toMatch(/o-3 sell 10 stop 225\.00 day accepted \(bracket\)/);
    expect(lineOf(frame, 'Fills')).toMatch(/buy 10 @ 232\.04/);
  });
});

describe('alerts (A)', () => {
  it('sets price alerts above and below the price; one going off takes the status line until a key, and leaves the list', async () => {
    rig = await app.open(session);
    await rig.step(2);
    await rig.press('A');
    await rig.screen.waitFor((f) => f.includes('Alert on AAPL (now 230.00)'));
    await rig.press('2', '2', '0', KEYS.enter);
    // 220 is under the price: a below alert, not yet reached; 229 would be too. Then one above.
    await rig.screen.waitFor((f) => !f.includes('Alert on'));
    await rig.press('A', '2', '3', '1', '.', '5', KEYS.enter);
    await rig.press(KEYS.enter);
    const view = await rig.screen.waitFor((f) => f.includes('Alerts'));
    expect(lineOf(view, 'Alerts')).toContain('below 220.00 · above 231.50');
    await rig.press('A', '2', '2', '9', KEYS.enter);
    expect(rig.engine.alerts()).toHaveLength(3);
    await rig.step(3);
    const fired = await rig.screen.waitFor((f) => f.includes('alert: AAPL rose to 231.50 (now 232.02)'));
    expect(lineOf(fired, 'Alerts')).not.toContain('231.50');
    await rig.press('j');
    await rig.screen.waitFor((f) => !f.includes('alert: AAPL rose'));
  });

  it('a fill alert goes off at the fill; clear removes it', async () => {
    rig = await app.open(session);
    await rig.step(2);
    await rig.press('A', 'f', 'i', 'l', 'l', KEYS.enter, 'B');
    await rig.screen.waitFor((f) => f.includes('alert: AAPL filled: buy 10 @ 230.02 (o-1)'));
    // "clear" removes the symbol's alerts.
    await rig.press('A', 'c', 'l', 'e', 'a', 'r', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('alerts of AAPL cleared: 1'));
    expect(rig.engine.alerts()).toEqual([]);
  });

  it('a price the market is already at, or not a price, keeps the prompt open with the reason, to correct it', async () => {
    rig = await app.open(session);
    await rig.step(5);
    await rig.press('A');
    await rig.screen.waitFor((f) => f.includes('Alert on AAPL (now 232.02)'));
    await rig.press('2', '3', '2', '.', '0', '2', KEYS.enter);
    const reached = await rig.screen.waitFor((f) => f.includes('already at or above'));
    expect(reached.replace(/\s*│\s*\n\s*│\s*/g, ' ')).toContain('AAPL is at 232.02, already at or above 232.02: set a price over it');
    await rig.press('\u0015', 'x', 'y', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('needs a price above 0'));
    expect(rig.engine.alerts()).toEqual([]);
    await rig.press('\u0015', '2', '4', '0', KEYS.enter);
    await rig.screen.waitFor((f) => !f.includes('Alert on'));
    expect(rig.engine.alerts()).toMatchObject([{ kind: 'above', price: '240.00' }]);
  });
});

describe('the activity view (l)', () => {
  it('lists every order, rejected ones with their reason, and fills; whole lines wrap; f filters and / searches', async () => {
    rig = await app.open(session, { columns: 80, rows: 24 });
    await rig.step(2);
    await rig.press('S', 'B');
    await rig.press('l');
    const frame = await rig.screen.waitFor((f) => f.includes('Activity'));
    expect(frame).toMatch(/order o-1 sell 10 AAPL market day by you · rejected:/);
    expect(frame).toMatch(/fill {2}f-1 o-2 buy 10 AAPL @ 230\.02/);
    // The rejection's reason is long: it goes on under the time, never cut with an ellipsis.
    const rejected = frame.split('\n').findIndex((line) => line.includes('rejected:'));
    expect(frame.split('\n')[rejected + 1]).toMatch(/^ {15}\S/);
    await rig.press('f');
    const orders = await rig.screen.waitFor((f) => f.includes('Activity · orders'));
    expect(orders).not.toContain('fill  f-1');
    await rig.press('f', 'f', 'f', '/');
    await rig.screen.waitFor((f) => f.includes('Search the activity'));
    await rig.press('f', '-', '1', KEYS.enter);
    const found = await rig.screen.waitFor((f) => f.includes('"f-1"'));
    expect(found.split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line))).toHaveLength(1);
    await rig.press('l');
    await rig.screen.waitFor((f) => f.includes(' Quotes '));
  });

  it('scrolls: k goes back a line, g to the oldest, G to the newest', async () => {
    rig = await app.open(session, { columns: 80, rows: 12 });
    await rig.step(2);
    for (let i = 0; i < 6; i++) await rig.press('B');
    await rig.press('l');
    const newest = await rig.screen.waitFor((f) => f.includes('newest'));
    expect(newest).toMatch(/↑ \d+ above, newest/);
    await rig.press('g');
    const oldest = await rig.screen.waitFor((f) => /top, ↓ \d+ below/.test(f));
    expect(oldest).toContain('o-1 buy 10 AAPL market');
    // From the oldest line, j moves at once: one line on.
    await rig.press('j');
    await rig.screen.waitFor((f) => /↑ 1 above, ↓ \d+ below/.test(f));
    await rig.press('G');
    await rig.screen.waitFor((f) => f.includes('newest'));
  });
});

describe('the performance view (p)', () => {
  it('shows the equity and drawdown charts, the metrics, and the trades by strategy and by symbol', async () => {
    rig = await app.open(session, { columns: 120, rows: 40 });
    await rig.step(2);
    await rig.press('B');
    await rig.step(3);
    await rig.press('p');
    const frame = await rig.screen.waitFor((f) => f.includes('Performance'));
    for (const text of ['Equity', 'Drawdown', 'Sharpe', 'Max drawdown', 'Win rate', 'By strategy', 'By symbol']) expect(frame).toContain(text);
    expect(lineOf(frame, 'you ')).toMatch(/you\s+1\s/);
    expect(frame).not.toContain('-0.00%');
  });
});

describe('symbol search (/)', () => {
  it('lists the market’s tickers as one types; Enter adds the one chosen and opens its view', async () => {
    rig = await app.open(session);
    await rig.step(2);
    await rig.press('/', 'm', 's');
    await rig.screen.waitFor((f) => f.includes('│ MSFT'));
    await rig.press(KEYS.enter);
    await rig.screen.waitFor((f) => f.includes(' MSFT ') && f.includes('5-minute candles'));
    expect(rig.engine.symbols).toContain('MSFT');
  });
});
