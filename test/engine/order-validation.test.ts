import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../src/engine/index.ts';
import { cryptoQuote, engineRig, forexQuote, quote, T0, type EngineRig } from '../helpers/engine-rig.ts';

const SYMBOLS = ['AAPL', 'X:BTCUSD', 'X:ETHBTC', 'C:EURUSD', 'C:USDJPY'];

async function market(): Promise<EngineRig> {
  const rig = await engineRig(
    [
      quote('AAPL', T0, 100, 100.02),
      cryptoQuote('BTC-USD', T0, 65_000, 65_010, 2, 2),
      cryptoQuote('ETH-BTC', T0, 0.05, 0.0501, 10, 10),
      forexQuote('EUR/USD', T0, 1.05, 1.05002),
      forexQuote('USD/JPY', T0, 150, 150.02),
    ],
    { symbols: SYMBOLS },
  );
  await rig.step(5);
  return rig;
}

const aapl = (fields: Partial<OrderRequest>): OrderRequest => ({ symbol: 'AAPL', side: 'buy', qty: 10, ...fields });
const FRACTIONAL_STOCK = 'qty 0.5 is not a multiple of 1 for AAPL (fractional shares are allowed only for day market and limit orders)';

const rejections: [string, OrderRequest, string][] = [
  ['a negative qty', aapl({ qty: '-5' }), 'qty must be > 0, got "-5"'],
  ['a zero qty', aapl({ qty: 0 }), 'qty must be > 0, got 0'],
  ['a qty that is not a number', aapl({ qty: 'ten' }), 'qty "ten" is not a number: give a decimal such as 10 or "0.5"'],
  ['a missing qty', aapl({ qty: '' }), 'qty missing: say how many to trade'],
  ['an infinite qty (a division by zero in a program)', aapl({ qty: Infinity }), 'qty Infinity is not a number: give a decimal such as 10 or "0.5"'],
  ['an infinite limit price', aapl({ type: 'limit', limitPrice: Infinity }), 'limit price Infinity is not a number: give a decimal such as 187.25'],
  ['a qty with more than 9 decimals', aapl({ qty: '1.0000000001' }), 'qty "1.0000000001" has more than 9 decimals'],
  ['a missing symbol', { side: 'buy', qty: 1 } as unknown as OrderRequest, 'symbol missing: say which symbol to trade, e.g. "AAPL"'],
  ['a mistyped symbol', aapl({ symbol: 'APPL' }), 'unknown symbol "APPL" (did you mean AAPL?)'],
  ['a symbol not in the watchlist', aapl({ symbol: 'ZZZZ' }), 'unknown symbol "ZZZZ"; add it to the watchlist first'],
  [
    'text that is not a symbol',
    aapl({ symbol: 'hello world' }),
    '"hello world" is not a symbol: use a stock ticker (AAPL), a crypto pair (X:BTCUSD) or a forex pair (C:EURUSD)',
  ],
  ['a bad side', aapl({ side: 'hold' }), 'side must be "buy" or "sell", got "hold"'],
  ['a bad order type', aapl({ type: 'trailing' }), 'order type must be one of market, limit, stop, stop_limit, trailing_stop, got "trailing"'],
  [
    'a trailing stop without a trail',
    aapl({ type: 'trailing_stop' }),
    'trail missing for a trailing-stop order: give a trail price (e.g. 0.50) or a trail percent (e.g. 1.5)',
  ],
  [
    'a trailing stop with both trails',
    aapl({ type: 'trailing_stop', trailPrice: '1', trail_percent: 2 }),
    'give a trailing stop one trail: trail price "1" or trail percent 2, not both',
  ],
  ['a trailing stop with a stop price', aapl({ type: 'trailing_stop', trailPrice: '1', stopPrice: '99' }), 'a trailing-stop order takes no stop price (got "99"): its stop follows the market by its trail'],
  ['a trail percent of 100', aapl({ type: 'trailing_stop', trailPercent: 100 }), 'trail percent must be above 0 and below 100, got 100'],
  ['a trail percent with 5 decimals', aapl({ type: 'trailing_stop', trailPercent: '0.12345' }), 'trail percent "0.12345" has more than 4 decimals'],
  ['a negative trail price', aapl({ type: 'trailing_stop', trailPrice: '-1' }), 'trail price must be > 0, got "-1"'],
  ['a limit order with a trail', aapl({ type: 'limit', limitPrice: '100', trail_price: '1' }), 'a limit order takes no trail (got "1"); use a trailing-stop order'],
  ['a bad time in force', aapl({ timeInForce: 'gtd' }), 'time in force must be one of day, gtc, ioc, fok, opg, cls, got "gtd"'],
  ['a limit order without a limit price', aapl({ type: 'limit' }), 'limit price missing for a limit order'],
  ['a stop order without a stop price', aapl({ type: 'stop' }), 'stop price missing for a stop order'],
  ['a stop-limit order without a limit price', aapl({ type: 'stop_limit', stopPrice: '101' }), 'limit price missing for a stop-limit order'],
  ['a market order with a limit price', aapl({ limitPrice: '100' }), 'a market order takes no limit price (got "100"); use a limit or stop-limit order'],
  ['a limit order with a stop price', aapl({ type: 'limit', limitPrice: '99', stopPrice: '99' }), 'a limit order takes no stop price (got "99"); use a stop or stop-limit order'],
  ['a negative limit price', aapl({ type: 'limit', limitPrice: '-1' }), 'limit price must be > 0, got "-1"'],
  ['a limit price with more than 6 decimals', aapl({ type: 'limit', limitPrice: '100.0000001' }), 'limit price "100.0000001" has more than 6 decimals'],
  ['a limit price off the penny tick', aapl({ type: 'limit', limitPrice: '100.005' }), 'limit price 100.005 is not a multiple of the 0.01 tick for AAPL'],
  ['a stop price off the penny tick', aapl({ type: 'stop', stopPrice: '101.001' }), 'stop price 101.001 is not a multiple of the 0.01 tick for AAPL'],
  ['a sub-dollar limit off the 0.0001 tick', aapl({ type: 'limit', limitPrice: '0.12345' }), 'limit price 0.12345 is not a multiple of the 0.0001 tick for AAPL'],
  [
    'a forex limit off the tenth-of-a-pip tick',
    { symbol: 'C:EURUSD', side: 'buy', qty: 1000, type: 'limit', limitPrice: '1.050005' },
    'limit price 1.050005 is not a multiple of the 0.00001 tick for C:EURUSD',
  ],
  [
    'a crypto limit off the penny tick',
    { symbol: 'X:BTCUSD', side: 'buy', qty: '0.1', type: 'limit', limitPrice: '65000.005' },
    'limit price 65000.005 is not a multiple of the 0.01 tick for X:BTCUSD',
  ],
  ['fractional shares in a gtc market order', aapl({ qty: '0.5', timeInForce: 'gtc' }), FRACTIONAL_STOCK],
  ['fractional shares in an ioc limit order', aapl({ qty: '0.5', type: 'limit', limitPrice: '100', timeInForce: 'ioc' }), FRACTIONAL_STOCK],
  ['fractional shares in a day stop order', aapl({ qty: '0.5', type: 'stop', stopPrice: '101' }), FRACTIONAL_STOCK],
  ['fractional shares in a day stop-limit order', aapl({ qty: '0.5', type: 'stop_limit', stopPrice: '101', limitPrice: '101' }), FRACTIONAL_STOCK],
  ['fractional forex units', { symbol: 'C:EURUSD', side: 'buy', qty: '0.5' }, 'qty 0.5 is not a multiple of 1 for C:EURUSD'],
  [
    'a forex pair not priced in USD',
    { symbol: 'C:USDJPY', side: 'buy', qty: 1000 },
    'C:USDJPY is priced in JPY; the paper account holds USD, so only USD-priced pairs can be traded',
  ],
  [
    'a crypto pair not priced in USD',
    { symbol: 'X:ETHBTC', side: 'buy', qty: 1 },
    'X:ETHBTC is priced in BTC; the paper account holds USD, so only USD-priced pairs can be traded',
  ],
];

describe('order validation', () => {
  it.each(rejections)('rejects %s, saying why', async (_name, request, reason) => {
    const rig = await market();
    const order = await rig.place(request);
    expect(order).toMatchObject({ status: 'rejected', reason, filledQty: '0' });
    expect(rig.order(order.id)).toMatchObject({ status: 'rejected', reason });
  });

  it('records every rejected order with its reason and changes nothing else', async () => {
    const rig = await market();
    for (const [, request] of rejections) await rig.place(request);
    const snapshot = rig.snapshot();
    expect(snapshot.orders).toHaveLength(rejections.length);
    expect(snapshot.orders.map((order) => [order.status, order.reason])).toEqual(rejections.map(([, , reason]) => ['rejected', reason]));
    expect(snapshot.fills).toEqual([]);
    expect(snapshot.portfolio).toMatchObject({ cash: '100000.00', buyingPower: '100000.00', positions: [] });
  });

  it('shows a rejected order as far as the request could be read', async () => {
    const rig = await market();
    const order = await rig.place(aapl({ side: 'hold', type: 'limit', clientOrderId: 'mine-1' }));
    expect(order).toMatchObject({ id: 'o-1', symbol: 'AAPL', side: 'hold', type: 'limit', timeInForce: 'day', qty: '0', clientOrderId: 'mine-1' });
  });

  it.each<[string, OrderRequest, string]>([
    ['fractional shares in a day market order', aapl({ qty: '0.5' }), 'filled'],
    ['fractional shares in a day limit order', aapl({ qty: '0.25', type: 'limit', limitPrice: '99' }), 'accepted'],
    ['a sub-dollar limit on the 0.0001 tick', aapl({ type: 'limit', limitPrice: '0.1234' }), 'accepted'],
    ['one nano-coin of crypto in a gtc order', { symbol: 'X:BTCUSD', side: 'buy', qty: '0.000000001', timeInForce: 'gtc' }, 'filled'],
    ['a fractional crypto stop order', { symbol: 'X:BTCUSD', side: 'buy', qty: '0.5', type: 'stop', stopPrice: '70000' }, 'accepted'],
    ['a USD-priced forex pair typed as EUR/USD', { symbol: 'eur/usd', side: 'buy', qty: 1000 }, 'filled'],
    ['a crypto pair typed as btc-usd', { symbol: 'btc-usd', side: 'BUY', qty: '0.01', type: 'MARKET', timeInForce: 'IOC' }, 'filled'],
    ['a stop-limit typed with a dash and numbers for prices', aapl({ type: 'stop-limit', stopPrice: 101, limitPrice: 101.05, timeInForce: 'GTC' }), 'accepted'],
  ])('accepts %s', async (_name, request, status) => {
    const rig = await market();
    const order = await rig.place(request);
    expect(order.reason).toBeNull();
    expect(order.status).toBe(status);
  });

  it('normalises what was typed into the canonical order', async () => {
    const rig = await market();
    const order = await rig.place({ symbol: 'aapl', side: 'BUY', qty: '10.000', type: 'Stop-Limit', stopPrice: '101.0', limitPrice: 101.05, timeInForce: 'GTC' });
    expect(order).toMatchObject({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'stop_limit', timeInForce: 'gtc', stopPrice: '101.00', limitPrice: '101.05' });
  });
});
