import { afterEach, describe, expect, it } from 'vitest';


import { cleanup, render } from 'ink-testing-library';
import type { FillView, OrderView } from '../../src/engine/index.ts';
import { limitStop, OrdersPane } from '../../src/ui/panes/orders-pane.tsx';
import { THEMES, type Theme } from '../../src/ui/theme.ts';
import { makeFill, makeOrder, uiState, UI_T0 } from '../helpers/ui-state.ts';
import { stripAnsi } from '../helpers/render-screen.tsx';

afterEach(cleanup);

interface Options {
  orders?: OrderView[];
  fills?: FillView[];
  width?: number;
  height?: number;
  selected?: number;
  theme?: Theme;
}

function renderOrders({ orders, fills, width = 100, height = 12, selected = -1, theme = THEMES.mono }: Options = {}) {
  const state = uiState({ snapshot: { ...(orders ? { orders } : {}), ...(fills ? { fills } : {}) } });
  const { lastFrame } = render(<OrdersPane state={state} width={width} height={height} focused={false} selected={selected} theme={theme} />);
  const raw = lastFrame() ?? '';
  return { raw, lines: stripAnsi(raw).split('\n') };
}

const partial = () =>
  makeOrder({
    id: 'o-7', symbol: 'AAPL', type: 'limit', limitPrice: '230.5', timeInForce: 'gtc', qty: '10', filledQty: '4',
    status: 'partially_filled', createdAt: UI_T0 - 150_000,
  });

describe('OrdersPane', () => {
  it('shows a working limit order: side, symbol, type, qty, filled, "L 230.50", TIF, status and age', () => {
    const { lines } = renderOrders({ orders: [partial()], fills: [] });
    expect(lines[0]).toMatch(/^ Orders +1 working$/);
    expect(lines[1]).toBe('Id     Side Symbol   Type            Qty  Filled Lmt/Stop         TIF Status            Age');
    expect(lines[2]).toBe('o-7    buy  AAPL     limit            10       4 L 230.50         gtc partially_filled   2m');
  });

  it("names a bracket's entry and its legs, the held ones as held", () => {
    const orders = [
      makeOrder({ id: 'o-1', symbol: 'AAPL', type: 'limit', limitPrice: '100.02', orderClass: 'bracket', legIds: ['o-2', 'o-3'] }),
      makeOrder({ id: 'o-2', symbol: 'AAPL', side: 'sell', type: 'limit', limitPrice: '101.00', orderClass: 'bracket', parentId: 'o-1', status: 'held' }),
      makeOrder({ id: 'o-3', symbol: 'AAPL', side: 'sell', type: 'stop', stopPrice: '99.00', orderClass: 'bracket', parentId: 'o-1', status: 'held' }),
      makeOrder({ id: 'o-4', symbol: 'MSFT', side: 'sell', type: 'limit', limitPrice: '300.00', orderClass: 'oco', legIds: ['o-5'] }),
    ];
    const { lines } = renderOrders({ orders, fills: [] });
    const row = (id: string) => lines.find((line) => line.startsWith(`${id} `)) ?? '';
    expect(row('o-1')).toMatch(/^o-1 +buy +AAPL +bracket +100 +0 L 100\.02 /);
    expect(row('o-2')).toMatch(/^o-2 +sell AAPL +take-profit +100 +0 L 101\.00 +day held /);
    expect(row('o-3')).toMatch(/^o-3 +sell AAPL +stop-loss +100 +0 S 99\.00 +day held /);
    expect(row('o-4')).toMatch(/ take-profit /);
  });

  it('shows stop, stop-limit, trailing-stop (stop/trail) and market orders by their trigger prices', () => {
    const orders = [
      makeOrder({ id: 'o-1', symbol: 'TSLA', side: 'sell', type: 'stop', stopPrice: '229.00' }),
      makeOrder({ id: 'o-2', symbol: 'TSLA', side: 'sell', type: 'stop_limit', stopPrice: '229.00', limitPrice: '230.00' }),
      makeOrder({ id: 'o-3', symbol: 'MSFT', type: 'stop_limit', stopPrice: '229.50', limitPrice: '230.25', status: 'new' }),
      makeOrder({ id: 'o-4', symbol: 'AAPL', type: 'market' }),
      makeOrder({ id: 'o-5', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', stopPrice: '229.00', trailPrice: '1.00', hwm: '230.00' }),
      makeOrder({ id: 'o-6', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', stopPrice: '226.55', trailPercent: '1.5', hwm: '230.00' }),
    ];
    const { lines } = renderOrders({ orders, fills: [] });
    const row = (id: string) => lines.find((line) => line.startsWith(`${id} `)) ?? '';
    expect(row('o-5')).toContain(' TS 229/1 ');
    expect(row('o-6')).toContain(' TS 226.55/1.5% ');
    expect(row('o-1')).toContain(' S 229.00 ');
    expect(row('o-2')).toContain(' SL 229/230 ');
    expect(row('o-3')).toContain(' SL 229.50/230.25 ');
    expect(row('o-4')).toContain(' MKT ');
  });

  it('says "triggered" for a stop the market reached that has not filled yet (it is a market order now)', () => {
    const orders = [
      makeOrder({ id: 'o-1', symbol: 'TSLA', side: 'sell', type: 'stop', stopPrice: '229.00', triggered: true }),
      makeOrder({ id: 'o-2', symbol: 'TSLA', side: 'sell', type: 'stop', stopPrice: '228.00' }),
    ];
    const { lines } = renderOrders({ orders, fills: [] });
    expect(lines.find((line) => line.startsWith('o-1 '))).toMatch(/ triggered /);
    expect(lines.find((line) => line.startsWith('o-2 '))).toMatch(/ accepted /);
  });

  it('lists only working orders, newest first, and counts them in the title', () => {
    const orders = [
      makeOrder({ id: 'o-1', symbol: 'AAPL', status: 'filled' }),
      makeOrder({ id: 'o-2', symbol: 'MSFT', status: 'accepted' }),
      makeOrder({ id: 'o-3', symbol: 'TSLA', status: 'canceled' }),
      makeOrder({ id: 'o-4', symbol: 'AMZN', status: 'new' }),
      makeOrder({ id: 'o-5', symbol: 'SPY', status: 'rejected' }),
    ];
    const { lines } = renderOrders({ orders, fills: [] });
    expect(lines[0]).toMatch(/ 2 working$/);
    expect(lines.slice(2, 4).map((line) => line.slice(0, 6).trim())).toEqual(['o-4', 'o-2']);
    expect(lines.some((line) => /^o-[135] /.test(line))).toBe(false);
  });

  it('says "no working orders" when none are working', () => {
    const { lines } = renderOrders({ orders: [makeOrder({ id: 'o-1', symbol: 'AAPL', status: 'filled' })], fills: [] });
    expect(lines[0]).toMatch(/ 0 working$/);
    expect(lines[2]).toBe('no working orders');
  });

  it('highlights the selected working order (inverse, so mono shows it too)', () => {
    const orders = [makeOrder({ id: 'o-1', symbol: 'AAPL' }), makeOrder({ id: 'o-2', symbol: 'MSFT' })];
    const { raw } = renderOrders({ orders, fills: [], selected: 1 });
    const rawLines = raw.split('\n');
    // Newest first: selection 1 is the older order, o-1.
    expect(stripAnsi(rawLines[3] ?? '')).toMatch(/^o-1 /);
    expect(rawLines[3]).toContain('\u001b[7m');
    expect(rawLines[2]).not.toContain('\u001b[7m');
  });

  it('shows recent fills below the orders, newest first: time, side, qty, symbol, @ price, source', () => {
    const fills = [
      makeFill({ orderId: 'o-1', symbol: 'AAPL', qty: '100', price: '200.00', time: UI_T0 - 60_000, side: 'buy' }),
      makeFill({ orderId: 'o-7', symbol: 'AAPL', qty: '4', price: '230.5', time: UI_T0, side: 'sell', source: 'strategy:sma' }),
    ];
    const { lines } = renderOrders({ orders: [partial()], fills });
    expect(lines[3]).toBe('Filled at Side     Qty Symbol   Price         Source');
    expect(lines[4]).toBe('15:30:00  sell       4 AAPL     @ 230.50      strategy:sma');
    expect(lines[5]).toBe('15:29:00  buy      100 AAPL     @ 200.00      manual');
  });

  it('shows only as many fills as fit, the newest ones', () => {
    const fills = Array.from({ length: 10 }, (_, i) =>
      makeFill({ orderId: `o-${i}`, symbol: 'AAPL', qty: String(i + 1), price: '200.00', time: UI_T0 - (10 - i) * 1000 }));
    // 6 lines: title, orders header, one order, fills header, two fills.
    const { lines } = renderOrders({ orders: [partial()], fills, height: 6 });
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(/^Filled at/);
    expect(lines[4]).toMatch(/^15:29:59  buy       10 AAPL/);
    expect(lines[5]).toMatch(/^15:29:58  buy        9 AAPL/);
  });

  it('gives the lines to working orders first when there are more than fit, and says how many are hidden', () => {
    const orders = Array.from({ length: 8 }, (_, i) => makeOrder({ id: `o-${i + 1}`, symbol: 'AAPL' }));
    const { lines } = renderOrders({ orders, height: 6 });
    expect(lines.slice(2, 5).map((line) => line.slice(0, 6).trim())).toEqual(['o-8', 'o-7', 'o-6']);
    expect(lines[5]!.trim()).toBe('↓ 5 more below · 8 in all (j/k)');
  });

  it('drops the time in force, id, type and filled columns before the status on a narrow pane', () => {
    const at80 = renderOrders({ orders: [partial()], fills: [], width: 80 }).lines;
    expect(at80[1]).toBe('Side Symbol   Type            Qty  Filled Lmt/Stop         Status            Age');
    expect(at80[2]).toBe('buy  AAPL     limit            10       4 L 230.50         partially_filled   2m');
    // 66 columns: the orders pane of a 120-column terminal.
    const at66 = renderOrders({ orders: [partial()], fills: [], width: 66 }).lines;
    expect(at66[2]).toBe('buy  AAPL          10 L 230.50         partially_filled   2m');
  });

  it('colours buys and sells with the dark theme', () => {
    const orders = [makeOrder({ id: 'o-1', symbol: 'AAPL', side: 'buy' }), makeOrder({ id: 'o-2', symbol: 'MSFT', side: 'sell' })];
    const { raw } = renderOrders({ orders, fills: [], theme: THEMES.dark });
    expect(raw).toMatch(/\u001b\[32m ?buy/);
    expect(raw).toMatch(/\u001b\[31m ?sell/);
    const mono = renderOrders({ orders, fills: [], theme: THEMES.mono }).raw;
    expect(mono).not.toContain('\u001b[32m');
    expect(mono).not.toContain('\u001b[31m');
  });

  it.each([80, 100, 160])('fills exactly its box at width %i, every height, truncating long values', (width) => {
    const orders = Array.from({ length: 6 }, (_, i) =>
      makeOrder({ id: `o-${1000 + i}`, symbol: 'X:BTCUSD-LONGNAME', type: 'stop_limit', stopPrice: '97120.123456', limitPrice: '97125.654321', qty: '0.123456789', status: 'partially_filled', filledQty: '0.05' }));
    const fills = Array.from({ length: 6 }, (_, i) =>
      makeFill({ orderId: `o-${i}`, symbol: 'C:EURUSD', qty: '1234567.5', price: '1.0812345', source: 'strategy:a-very-long-strategy-name' }));
    for (const height of [1, 2, 3, 5, 8, 24]) {
      const { lines } = renderOrders({ orders, fills, width, height });
      expect(lines, `height ${height}`).toHaveLength(height);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
    }
  });
});

describe('limitStop', () => {
  it("writes a single price in its symbol's decimals, so a column's decimals line up", () => {
    expect(limitStop(makeOrder({ symbol: 'C:EURUSD', type: 'limit', limitPrice: '1.05' }))).toBe('L 1.05000');
    expect(limitStop(makeOrder({ symbol: 'AAPL', type: 'stop', stopPrice: '225' }))).toBe('S 225.00');
  });
});
