// examples/alpaca-bot.ts, a bot written only against Alpaca's API, run unchanged against the real
// server on 127.0.0.1: it takes a profit, then is stopped out, as the market steps under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArgs, runBot } from '../../examples/alpaca-bot.ts';
import { apiRig, type ApiRig } from '../api/api-rig.ts';
import { cryptoQuote, T0 } from '../helpers/engine-rig.ts';
import { until } from '../helpers/until.ts';

const KEYS = { keyId: 'PKBOTKEY0123456789AB', secret: 'bot-secret-0123456789abcdefghijklmnopqrs' };

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig(
    [
      cryptoQuote('BTC-USD', T0, 95_000, 95_010),
      // Up through the first round's take-profit (95,010 + 0.2% = 95,200.02).
      cryptoQuote('BTC-USD', T0 + 1_000, 95_300, 95_310),
      // Down through the second round's stop (95,310 - 0.2% = 95,119.38).
      cryptoQuote('BTC-USD', T0 + 2_000, 94_000, 94_010),
    ],
    { alpaca: KEYS },
    { symbols: ['X:BTCUSD'] },
  );
  await api.rig.step();
});
afterAll(() => api.close());

describe('examples/alpaca-bot.ts against paper-trader', () => {
  it('buys at the ask, takes its profit at its limit, buys again and is stopped out, all as the engine booked it', async () => {
    const lines: string[] = [];
    const engine = api.rig.engine;
    const workingSells = () => engine.orderHistory({ status: 'open' }).items.filter((order) => order.side === 'sell');
    const finished = runBot({ baseUrl: api.api.url, ...KEYS, symbol: 'BTC/USD', qty: '0.5', take: 0.002, stop: 0.002, rounds: 2, pollMs: 5, log: (line) => lines.push(line) });

    await until(() => workingSells().length === 1, 5_000);
    await api.rig.step();
    await until(() => workingSells().length === 1 && engine.fillHistory().items.length === 3, 5_000);
    await api.rig.step();
    const rounds = await finished;

    const fills = engine.fillHistory().items;
    expect(fills.map((fill) => [fill.side, fill.qty, fill.price])).toEqual([
      ['buy', '0.5', '95010.00'],
      ['sell', '0.5', '95200.02'],
      ['buy', '0.5', '95310.00'],
      ['sell', '0.5', '94000.00'],
    ]);
    expect(rounds).toEqual([
      { entry: 95_010, exit: 95_200.02, qty: 0.5, how: 'take' },
      { entry: 95_310, exit: 94_000, qty: 0.5, how: 'stop' },
    ]);
    // Its orders are the engine's, placed over the API; the stop's limit sell was canceled.
    const orders = engine.orderHistory({ status: 'all' }).items;
    expect(orders.every((order) => order.source === 'api')).toBe(true);
    expect(orders.map((order) => order.status)).toEqual(['filled', 'filled', 'filled', 'canceled', 'filled']);
    expect(engine.snapshot().portfolio.positions).toEqual([]);
    // What the bot heard on trade_updates, and what it said.
    await until(() => lines.some((line) => line.startsWith('canceled: sell')), 5_000);
    expect(lines).toEqual(expect.arrayContaining(['fill: buy 0.5 BTC/USD (market), filled 0.5 at 95010.00', 'round 1: took profit at 95200.02: +$95.01', 'round 2: stopped out at 94000.00: -$655.00', 'done: 2 round(s), -$559.99']));
  });
});

describe("examples/alpaca-bot.ts's command line", () => {
  it('reads the symbol and options, with defaults', () => {
    expect(readArgs(['BTC/USD', '--qty', '0.01', '--take', '0.0003', '--stop', '0.001', '--rounds', '2'])).toEqual({ symbol: 'BTC/USD', qty: '0.01', take: 0.0003, stop: 0.001, rounds: 2 });
    expect(readArgs([])).toEqual({ symbol: 'SPY', qty: '1', take: 0.002, stop: 0.002, rounds: 3 });
  });

  it('says what is wrong with an option in one line, before the bot trades', () => {
    expect(readArgs(['AAPL', '--take', '0.0o2'])).toBe('--take must be a fraction above 0 and below 1 (0.002 is 0.2%), got "0.0o2"');
    expect(readArgs(['AAPL', '--stop', '2'])).toBe('--stop must be a fraction above 0 and below 1 (0.002 is 0.2%), got "2"');
    expect(readArgs(['AAPL', '--qty=-1'])).toBe('--qty must be a number above 0, such as 1 or 0.01, got "-1"');
    expect(readArgs(['AAPL', '--qty', '0'])).toBe('--qty must be a number above 0, such as 1 or 0.01, got "0"');
    expect(readArgs(['AAPL', '--rounds', '1.5'])).toBe('--rounds must be a whole number of 1 or more, got "1.5"');
    expect(readArgs(['AAPL', '--qyt', '1'])).toMatch(/Unknown option '--qyt'/);
  });
});
