import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { appRig, type AppRig } from '../helpers/app-rig.tsx';
import { KEYS, stripAnsi } from '../helpers/render-screen.tsx';


const session = [
  quote('AAPL', T0, 229.98, 230.02, 5, 5),
  quote('MSFT', T0 + 100, 420.1, 420.2, 5, 5),
  quote('AAPL', T0 + SECOND, 229.99, 230.03, 5, 5),
  quote('MSFT', T0 + 2 * SECOND, 420.3, 420.4, 5, 5),
];

let rig: AppRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const lineOf = (frame: string, text: string): string => frame.split('\n').find((line) => line.includes(text)) ?? '';

/** Opens the app and places a buy of 5 AAPL limit 220 from the ticket. */
async function withLimitFromTicket(): Promise<AppRig> {
  const app = await appRig(session);
  await app.step(2);
  await app.press('b');
  await app.screen.waitFor((f) => f.includes('Buy AAPL'));
  await app.press('5', KEYS.tab, KEYS.right, KEYS.tab, '2', '2', '0', KEYS.enter);
  return app;
}

describe('the app on a replayed market', () => {
  it('shows the replayed quotes in the quotes pane', async () => {
    rig = await appRig(session);
    await rig.step(2);
    const frame = await rig.screen.waitFor((f) => f.includes('420.20'));
    expect(lineOf(frame, 'AAPL ')).toMatch(/AAPL\s+229\.98\s+230\.02/);
    expect(lineOf(frame, 'MSFT ')).toMatch(/MSFT\s+420\.10\s+420\.20/);
  });

  it('B buys the selected symbol at the ask: the books and the screen change', async () => {
    rig = await appRig(session);
    await rig.step(2);
    await rig.press('B');
    const { portfolio } = rig.engine.snapshot();
    expect(portfolio.positions).toMatchObject([{ symbol: 'AAPL', qty: '10', avgPrice: '230.02' }]);
    expect(portfolio.cash).toBe('97699.80');
    const frame = await rig.screen.waitFor((f) => /Positions[\s\S]*AAPL\s+10\s+230\.02/.test(f));
    expect(frame).toContain('buy 10 AAPL @ 230.02 (user)');
  });

  it('j moves the selection, so B then buys the next symbol', async () => {
    rig = await appRig(session);
    await rig.step(2);
    await rig.press('j', 'B');
    expect(rig.engine.snapshot().portfolio.positions.map((p) => p.symbol)).toEqual(['MSFT']);
  });

  it('places a limit order from the ticket, then cancels it with x from the orders pane', async () => {
    rig = await withLimitFromTicket();
    const [order] = rig.engine.snapshot().orders;
    expect(order).toMatchObject({ side: 'buy', symbol: 'AAPL', qty: '5', type: 'limit', limitPrice: '220.00', status: 'accepted' });
    await rig.screen.waitFor((f) => f.includes('L 220'));

    await rig.press(KEYS.tab, KEYS.tab, 'x');
    expect(rig.engine.snapshot().orders[0]).toMatchObject({ status: 'canceled', reason: 'canceled by user' });
    await rig.screen.waitFor((f) => f.includes('no working orders'));
  });

  it('x and e act only on an order the trader sees selected: with the quotes pane focused they touch nothing and say how to select one', async () => {
    rig = await withLimitFromTicket();
    await rig.screen.waitFor((f) => f.includes('L 220'));
    await rig.press('x', 'e');
    expect(rig.engine.snapshot().orders[0]).toMatchObject({ status: 'accepted', qty: '5' });
    const frame = await rig.screen.waitFor((f) => f.includes('select the order to replace first'));
    expect(frame).toContain('select the order to cancel first: Tab to the Orders pane, then j/k');
    expect(frame).not.toContain('Replace o-1');
  });

  it('replaces the selected working order with e: its fields filled in, its type fixed, a new qty and limit sent to the engine', async () => {
    rig = await withLimitFromTicket();
    await rig.screen.waitFor((f) => f.includes('L 220'));

    await rig.press(KEYS.tab, KEYS.tab, 'e');
    const ticket = await rig.screen.waitFor((f) => f.includes('Replace o-1: Buy AAPL'));
    expect(lineOf(ticket, 'Limit price')).toContain('220.00');
    // Qty: erase "5", type 8; the type cannot change; the limit becomes 221.
    await rig.press(KEYS.backspace, '8', KEYS.tab, KEYS.right, KEYS.tab, ...Array(6).fill(KEYS.backspace), '2', '2', '1', KEYS.enter);
    expect(rig.engine.snapshot().orders).toMatchObject([{ id: 'o-1', type: 'limit', qty: '8', limitPrice: '221.00', status: 'accepted' }]);
    await rig.screen.waitFor((f) => f.includes('replaced o-1: 8 AAPL accepted'));
  });

  it('places a bracket from the ticket: the entry fills, and its take-profit and stop-loss show as working legs', async () => {
    rig = await appRig(session);
    await rig.step(2);
    await rig.press('b');
    await rig.screen.waitFor((f) => f.includes('Buy AAPL'));
    // Qty 5, at market, day; take profit 240, stop loss 225.
    await rig.press('5', KEYS.tab, KEYS.tab, KEYS.tab, '2', '4', '0', KEYS.tab, '2', '2', '5');
    const ticket = await rig.screen.waitFor((f) => f.includes('buy 5 AAPL at market, day; bracket: sell 240 or stop 225'));
    expect(lineOf(ticket, 'Take profit')).toContain('240');
    await rig.press(KEYS.enter);
    expect(rig.engine.snapshot().orders.map((o) => `${o.id} ${o.side} ${o.type} ${o.status} ${o.qty}`)).toEqual([
      'o-1 buy market filled 5', 'o-2 sell limit accepted 5', 'o-3 sell stop accepted 5',
    ]);
    const frame = await rig.screen.waitFor((f) => f.includes('stop-loss'));
    expect(lineOf(frame, 'take-profit')).toMatch(/o-2\s+sell\s+AAPL\s+take-profit\s+5\s+0\s+L 240\.00/);
  });

  it('takes keys typed faster than frames: a ticket opened and filled in one burst, Tab included', async () => {
    rig = await appRig(session);
    await rig.step(2);
    // One write, as from a paste or a laggy link: b opens the ticket, the rest goes into it.
    await rig.screen.press(`b5${KEYS.tab}${KEYS.right}${KEYS.tab}221${KEYS.enter}`);
    await rig.screen.waitFor((f) => f.includes('L 221'));
    expect(rig.engine.snapshot().orders[0]).toMatchObject({ side: 'buy', qty: '5', type: 'limit', limitPrice: '221.00', status: 'accepted' });
  });

  it('a refused order keeps its ticket open with the reason and the input, to correct it; the ticket says before Enter what the engine will check', async () => {
    rig = await appRig(session);
    await rig.step(2);
    await rig.press('b');
    await rig.screen.waitFor((f) => f.includes('Buy AAPL'));
    await rig.press('1', '0', '0', '0');
    // 1,000 at the ask, 230.02: more than the $100,000 of buying power, said before Enter.
    const before = await rig.screen.waitFor((f) => f.includes('buying power'));
    expect(before).toContain('≈ $230,020.00 of $100,000.00 buying power: more than you have');
    await rig.press(KEYS.enter);
    const refused = await rig.screen.waitFor((f) => f.includes('refused:'));
    expect(refused).toContain('Buy AAPL');
    expect(lineOf(refused, 'Qty')).toContain('1000');
    expect(rig.engine.snapshot().orders).toMatchObject([{ status: 'rejected' }]);
    // The reason is in the log once (the engine's line), not twice.
    expect(refused.split('rejected:').length - 1).toBeLessThanOrEqual(1);
    // Corrected in place: 10, then Enter places it and the ticket closes.
    await rig.press(KEYS.backspace, KEYS.backspace);
    await rig.screen.waitFor((f) => f.includes('≈ $2,300.20 of $100,000.00 buying power') && !f.includes('refused:'));
    await rig.press(KEYS.enter);
    await rig.screen.waitFor((f) => !f.includes('Buy AAPL') && /Positions[\s\S]*AAPL\s+10\s/.test(f));
    // A sell ticket says what is held and free to sell.
    await rig.press('s', '2', '0');
    const sell = await rig.screen.waitFor((f) => f.includes('free to sell'));
    expect(sell).toContain('held 10, 10 free to sell: more than you can sell');
  });

  it('--confirm-orders: a ticket places on a second Enter, saying what; B asks, and places only on y', async () => {
    rig = await appRig(session, undefined, {}, { confirmOrders: true });
    await rig.step(2);
    await rig.press('b');
    await rig.screen.waitFor((f) => f.includes('Buy AAPL'));
    await rig.press('5', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('Enter again to place: buy 5 AAPL at market, day'));
    expect(rig.engine.snapshot().orders).toEqual([]);
    // An edit goes back to editing: the next Enter asks again.
    await rig.press('0', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('Enter again to place: buy 50 AAPL at market, day'));
    expect(rig.engine.snapshot().orders).toEqual([]);
    await rig.press(KEYS.enter);
    expect(rig.engine.snapshot().orders).toMatchObject([{ side: 'buy', qty: '50', status: 'filled' }]);
    await rig.screen.waitFor((f) => !f.includes('Buy AAPL'));
    await rig.press('B');
    await rig.screen.waitFor((f) => f.includes('Place a market buy of 10 AAPL?'));
    await rig.press('n');
    await rig.screen.waitFor((f) => !f.includes('Place a market buy'));
    expect(rig.engine.snapshot().orders).toHaveLength(1);
    await rig.press('B');
    await rig.screen.waitFor((f) => f.includes('Place a market buy of 10 AAPL?'));
    await rig.press('y');
    expect(rig.engine.snapshot().orders).toHaveLength(2);
  });

  it('shows the engine rejection in the log when a quick sell has nothing to sell', async () => {
    rig = await appRig(session);
    await rig.step(1);
    await rig.press('S');
    const frame = await rig.screen.waitFor((f) => f.includes('rejected: cannot sell'));
    expect(frame).toContain('rejected: cannot sell 10 AAPL');
    expect(rig.engine.snapshot().fills).toEqual([]);
  });

  it('switches the strategy live from the picker', async () => {
    rig = await appRig(session);
    await rig.step(1);
    await rig.press('t');
    await rig.screen.waitFor((f) => f.includes('buy-and-hold'));
    await rig.press('j', KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('params (JSON)'));
    await rig.press(KEYS.enter);
    expect(rig.engine.snapshot().strategy).toMatchObject({ name: 'buy-and-hold' });
    await rig.step(1);
    expect(rig.engine.snapshot().portfolio.positions.length).toBeGreaterThan(0);
  });

  it('params a strategy refuses keep the picker open with the reason; the keys typed next stay in it (an s opens no sell ticket)', async () => {
    rig = await appRig(session);
    await rig.step(1);
    await rig.press('t');
    await rig.screen.waitFor((f) => f.includes('buy-and-hold'));
    await rig.press(KEYS.enter);
    await rig.screen.waitFor((f) => f.includes('params (JSON)'));
    await rig.press('\u0001', KEYS.right, '"', 'f', 'o', 'o', '"', ':', '1', ',', KEYS.enter);
    const refused = await rig.screen.waitFor((f) => f.includes('invalid params for sma-crossover'));
    expect(refused).toContain('params (JSON)');
    expect(rig.engine.snapshot().strategy).toBeNull();
    await rig.press('s', 'B');
    const after = await rig.screen.waitFor((f) => f.includes('params (JSON)') && !f.includes('invalid params'));
    expect(after).not.toContain('Sell AAPL');
    expect(rig.engine.snapshot().orders).toEqual([]);
    await rig.press(KEYS.escape);
    await rig.screen.waitFor((f) => !f.includes('params (JSON)'));
  });

  it('adds and removes a watchlist symbol', async () => {
    rig = await appRig(session);
    await rig.press('a');
    await rig.screen.waitFor((f) => f.includes('Add symbol'));
    await rig.press('n', 'v', 'd', 'a', KEYS.enter);
    expect(rig.engine.symbols).toContain('NVDA');
    await rig.press('k', 'k', 'j', 'j', 'd'); // NVDA is the third row
    expect(rig.engine.symbols).toEqual(['AAPL', 'MSFT']);
  });

  it('K asks, then engages the kill switch: orders canceled, the status bar says so, a buy is refused; K again releases it', async () => {
    rig = await appRig(session);
    await rig.step(1);
    await rig.engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '100', timeInForce: 'gtc' });
    await rig.press('K');
    await rig.screen.waitFor((f) => f.includes('Kill switch: cancel all 1 open order, stop the strategy'));
    await rig.press('y');
    expect(rig.engine.risk().killSwitch).toBe(true);
    expect(rig.engine.snapshot().orders[0]).toMatchObject({ status: 'canceled', reason: 'canceled by the kill switch' });
    await rig.screen.waitFor((f) => lineOf(f, 'UTC').includes('KILL SWITCH'));
    await rig.press('B');
    await rig.screen.waitFor((f) => f.includes('rejected: the kill switch is on'));
    await rig.press('K');
    await rig.screen.waitFor((f) => f.includes('Release the kill switch'));
    await rig.press('y');
    expect(rig.engine.risk().killSwitch).toBe(false);
    await rig.screen.waitFor((f) => !lineOf(f, 'UTC').includes('KILL SWITCH'));
  });

  it('asks before quitting with a working order, and quits on y', async () => {
    rig = await appRig(session);
    await rig.step(1);
    await rig.engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '100', timeInForce: 'gtc' });
    await rig.press('q');
    await rig.screen.waitFor((f) => f.includes('Quit?'));
    expect(rig.quitRequested()).toBe(false);
    await rig.press('n');
    expect(rig.quitRequested()).toBe(false);
    await rig.press('q');
    await rig.screen.waitFor((f) => f.includes('Quit?'));
    await rig.press('y');
    expect(rig.quitRequested()).toBe(true);
  });

  it('quits at once on q when nothing is working, and on Ctrl-C always', async () => {
    rig = await appRig(session);
    await rig.press('q');
    expect(rig.quitRequested()).toBe(true);
    await rig.close();
    rig = await appRig(session);
    await rig.press('?', KEYS.ctrlC);
    expect(rig.quitRequested()).toBe(true);
  });

  it('shows the help generated from the key map, and Esc closes it', async () => {
    rig = await appRig(session);
    await rig.press('?');
    const frame = await rig.screen.waitFor((f) => f.includes('Keys'));
    expect(frame).toContain('cancel all working orders');
    await rig.press(KEYS.escape);
    await rig.screen.waitFor((f) => !f.includes('cancel all working orders'));
  });

  it('highlights the selected row in the frame right after the key press', async () => {
    rig = await appRig(session);
    await rig.step(2);
    const before = rig.screen.frameCount();
    await rig.screen.press('j');
    await rig.screen.waitFor(() => rig!.screen.frameCount() > before);
    const highlighted = rig.screen.rawFrame().split('\n').filter((line) => line.includes('\u001B[7m')).map(stripAnsi);
    expect(highlighted.some((line) => line.startsWith('MSFT'))).toBe(true);
    expect(highlighted.some((line) => line.startsWith('AAPL'))).toBe(false);
  });
});

describe('every frame fits the terminal', () => {
  for (const [columns, rows] of [[80, 24], [100, 30], [160, 48]] as const) {
    it(`at ${columns}x${rows}, with each pane and dialog`, async () => {
      rig = await appRig(session, { columns, rows });
      await rig.step(4);
      await rig.press('B');
      const check = () => {
        const lines = rig!.screen.frame().split('\n');
        expect(lines.length).toBeLessThanOrEqual(rows - 1);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      };
      check();
      for (const open of ['b', '?', 't', 'a', 'q', '/']) {
        await rig.press(open);
        check();
        await rig.press(KEYS.escape);
      }
      // Each full-screen view, and a dialog over it.
      for (const view of [KEYS.enter, 'l', 'p']) {
        await rig.press(view);
        check();
        for (const open of ['?', 'A', 'b']) {
          await rig.press(open);
          check();
          await rig.press(KEYS.escape);
        }
        await rig.press(KEYS.escape);
      }
    });
  }

  it('re-lays out on resize, into two columns from 120 wide', async () => {
    rig = await appRig(session, { columns: 100, rows: 30 });
    await rig.step(2);
    expect(lineOf(rig.screen.frame(), ' Quotes ')).not.toContain('Equity');
    await rig.screen.resize(160, 48);
    const wide = await rig.screen.waitFor((f) => lineOf(f, ' Quotes ').includes(' Equity '));
    expect(wide.split('\n').length).toBeLessThanOrEqual(47);
    await rig.screen.resize(80, 24);
    const narrow = await rig.screen.waitFor((f) => !lineOf(f, ' Quotes ').includes(' Equity '));
    for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
