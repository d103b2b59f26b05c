import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, expectErrorShape, type ApiRig } from './api-rig.ts';

const EVENTS = [
  quote('AAPL', T0, 100, 100.02),
  quote('AAPL', T0 + SECOND, 99.5, 99.6),
  quote('AAPL', T0 + 2 * SECOND, 101, 101.05),
  quote('MSFT', T0 + 3 * SECOND, 400, 400.1),
];

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('HTTP API endpoints', () => {
  it('places orders over HTTP that fill against stepped quotes and shows them in trades and portfolio to the cent', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();

    const market = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy', order_type: 'market' } });
    expect(market.status).toBe(201);
    expect(market.json).toMatchObject({ id: 'o-1', symbol: 'AAPL', side: 'buy', order_type: 'market', qty: '10', filled_qty: '10', avg_fill_price: '100.02', status: 'filled', source: 'api' });

    const limit = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: '10', side: 'buy', order_type: 'limit', limit_price: '99.70', time_in_force: 'gtc' } });
    expect(limit.status).toBe(201);
    expect(limit.json).toMatchObject({ id: 'o-2', status: 'accepted', limit_price: '99.70', time_in_force: 'gtc', filled_qty: '0' });
    const open = await api.request('GET', '/api/paper/orders');
    expect(open.json.orders.map((o: { id: string }) => o.id)).toEqual(['o-2']);

    await api.rig.step(); // ask 99.60 reaches the 99.70 limit
    await api.rig.step(); // bid 101.00
    const sell = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'sell' } });
    expect(sell.status).toBe(201);
    expect(sell.json).toMatchObject({ status: 'filled', avg_fill_price: '101.00' });

    const trades = await api.request('GET', '/api/paper/trades');
    expect(trades.status).toBe(200);
    expect(trades.json.trades.map((t: any) => [t.order_id, t.side, t.qty, t.price, t.notional, t.fee, t.realized_pnl])).toEqual([
      ['o-1', 'buy', '10', '100.02', '1000.20', '0.00', '0.00'],
      ['o-2', 'buy', '10', '99.70', '997.00', '0.00', '0.00'],
      ['o-3', 'sell', '10', '101.00', '1010.00', '0.00', '11.40'],
    ]);
    const lastOne = await api.request('GET', '/api/paper/trades?limit=1');
    expect(lastOne.json.trades.map((t: any) => t.order_id)).toEqual(['o-3']);

    const portfolio = await api.request('GET', '/api/paper/portfolio');
    expect(portfolio.status).toBe(200);
    expect(portfolio.json).toEqual({
      starting_cash: '100000.00',
      cash: '99012.80',
      equity: '100023.05',
      buying_power: '99012.80',
      market_value: '1010.25',
      unrealized_pnl: '11.65',
      realized_pnl: '11.40',
      fees: '0.00',
      positions: [
        {
          symbol: 'AAPL', qty: '10', avg_cost: '99.86', cost_basis: '998.60', last_price: '101.025', market_value: '1010.25', unrealized_pnl: '11.65', realized_pnl: '11.40', side: 'long',
          attribution: [{ owner: 'user', qty: '10' }],
        },
      ],
      account_kind: 'cash',
      margin: null,
      metrics: { total_trades: 3, closed_trades: 1, winning_trades: 1, losing_trades: 0, win_rate: 1, total_fills: 3 },
    });
  });

  it("places a trailing stop with Alpaca's names and shows its trail, high-water mark and stop as the market moves", async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy' } });
    const placed = await api.request('POST', '/api/paper/order', {
      body: { symbol: 'AAPL', qty: 10, side: 'sell', type: 'trailing_stop', trail_percent: '0.6', time_in_force: 'gtc' },
    });
    expect(placed.status).toBe(201);
    expect(placed.json).toMatchObject({ order_type: 'trailing_stop', trail_price: null, trail_percent: '0.6', hwm: '100.00', stop_price: '99.40', status: 'accepted' });
    await api.rig.step(2); // the bid falls to 99.50 (above the stop), then rises to 101.00
    const open = await api.request('GET', `/api/paper/orders/${placed.json.id}`);
    expect(open.status).toBe(200);
    // 0.6% of 101.00 is 0.606: the stop, 100.394, goes down to the cent tick.
    expect(open.json).toMatchObject({ status: 'accepted', hwm: '101.00', stop_price: '100.39', triggered: false });
    expect((await api.request('GET', '/api/paper/orders/o-99')).status).toBe(404);
    const refused = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'sell', type: 'trailing_stop', trail_price: 1, stop_price: 99 } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe('A trailing-stop order takes no stop price (got 99): its stop follows the market by its trail.');
    // Alpaca's replace names the new trail `trail`, in the order's kind: here a percent.
    const retrailed = await api.request('PATCH', `/api/paper/orders/${placed.json.id}`, { body: { trail: '1' } });
    expect(retrailed.status).toBe(200);
    expect(retrailed.json).toMatchObject({ trail_percent: '1', trail_price: null, hwm: '101.00', stop_price: '99.99' });
  });

  it('replaces a working order with PATCH (qty is the new whole qty), answering 409 for a finished one and 422 with the reason', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const placed = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy', order_type: 'limit', limit_price: '99', time_in_force: 'gtc' } });
    const replaced = await api.request('PATCH', `/api/paper/orders/${placed.json.id}`, { body: { qty: '25', limit_price: '99.65' } });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ id: placed.json.id, qty: '25', limit_price: '99.65', status: 'accepted', filled_qty: '0' });
    const refused = await api.request('PATCH', `/api/paper/orders/${placed.json.id}`, { body: { qty: 5000 } });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'order_rejected', order_id: placed.json.id });
    expect(refused.json.error.message).toMatch(/^Not enough cash: buying 5000 AAPL at about 99\.65 needs/);
    const unknownField = await api.request('PATCH', `/api/paper/orders/${placed.json.id}`, { body: { quantity: 5 } });
    expect(unknownField.status).toBe(400);
    await api.rig.step(); // the ask falls to 99.60: the replaced limit fills
    expect((await api.request('GET', `/api/paper/orders/${placed.json.id}`)).json).toMatchObject({ status: 'filled', filled_qty: '25' });
    const finished = await api.request('PATCH', `/api/paper/orders/${placed.json.id}`, { body: { qty: 30 } });
    expect(finished.status).toBe(409);
    expect(finished.json.error).toMatchObject({ code: 'order_not_replaceable', status: 'filled' });
    expect((await api.request('PATCH', '/api/paper/orders/o-99', { body: { qty: 1 } })).status).toBe(404);
  });

  it('lists all orders with status=all, open ones by default', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy' } });
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'limit', limit_price: 50 } });
    const open = await api.request('GET', '/api/paper/orders?status=open');
    const all = await api.request('GET', '/api/paper/orders?status=all');
    expect(open.json.orders.map((o: any) => [o.id, o.status])).toEqual([['o-2', 'accepted']]);
    expect(all.json.orders.map((o: any) => [o.id, o.status])).toEqual([['o-1', 'filled'], ['o-2', 'accepted']]);
  });

  it('cancels a working order, answers 409 when it is canceled again and 404 for an unknown id', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const placed = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'limit', limit_price: '50.00' } });
    const first = await api.request('DELETE', `/api/paper/orders/${placed.json.id}`);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ id: placed.json.id, status: 'canceled', reason: 'canceled over the HTTP API' });

    const again = await api.request('DELETE', `/api/paper/orders/${placed.json.id}`);
    expect(again.status).toBe(409);
    expect(expectErrorShape(again)).toMatchObject({ code: 'order_not_cancelable', message: `Order ${placed.json.id} is already canceled; only open orders can be canceled.` });

    const unknown = await api.request('DELETE', '/api/paper/orders/o-999');
    expect(unknown.status).toBe(404);
    expect(expectErrorShape(unknown)).toMatchObject({ code: 'order_not_found' });
    expect(unknown.json.error.message).toContain('"o-999"');
  });

  it('answers 409 for cancelling a filled order', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const filled = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy' } });
    expect(filled.json.status).toBe('filled');
    const cancel = await api.request('DELETE', `/api/paper/orders/${filled.json.id}`);
    expect(cancel.status).toBe(409);
    expect(cancel.json.error).toMatchObject({ code: 'order_not_cancelable', order_id: filled.json.id, status: 'filled' });
  });

  it('shows the latest quote of each symbol with exact decimals', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step(4);
    const quotes = await api.request('GET', '/api/paper/quotes');
    expect(quotes.status).toBe(200);
    expect(quotes.json.quotes).toEqual([
      { symbol: 'AAPL', bid: '101.00', ask: '101.05', bid_size: '500', ask_size: '500', last: null, extended_last: null, mark: '101.025', open: '100.01', volume: '0', time: T0 + 2 * SECOND, delay_ms: null, previous_close: null },
      { symbol: 'MSFT', bid: '400.00', ask: '400.10', bid_size: '500', ask_size: '500', last: null, extended_last: null, mark: '400.05', open: '400.05', volume: '0', time: T0 + 3 * SECOND, delay_ms: null, previous_close: null },
    ]);
  });

  it('reports engine status, market state and message, strategy, symbols and time', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const status = await api.request('GET', '/api/paper/status');
    expect(status.status).toBe(200);
    expect(status.json).toEqual({
      engine: 'running',
      market: { source: 'replay', state: 'live', message: 'replaying 4 events' },
      strategy: null,
      symbols: ['AAPL', 'MSFT'],
      time: T0,
      time_iso: '2026-11-03T15:00:00.000Z',
      risk: { max_position_value: null, max_order_notional: null, max_open_orders: null, daily_loss_limit: null, kill_switch: false, halted: null, day_pnl: null, pattern_day_trader: true, borrow_rate: null },
    });
  });

  it('switches the strategy live with snake_case params and clears it with name null', async () => {
    api = await apiRig(EVENTS);
    const set = await api.request('PUT', '/api/paper/strategy', { body: { name: 'sma-crossover', params: { short_window: 3, long_window: 8 } } });
    expect(set.status).toBe(200);
    expect(set.json.strategy).toMatchObject({ name: 'sma-crossover', params: { short_window: 3, long_window: 8 } });
    expect((await api.request('GET', '/api/paper/status')).json.strategy.name).toBe('sma-crossover');

    const cleared = await api.request('PUT', '/api/paper/strategy', { body: { name: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toEqual({ strategy: null });
    expect((await api.request('GET', '/api/paper/status')).json.strategy).toBeNull();
  });

  it('answers 422 with the engine reason for an unknown strategy or bad params', async () => {
    api = await apiRig(EVENTS);
    const unknown = await api.request('PUT', '/api/paper/strategy', { body: { name: 'moon-shot' } });
    expect(unknown.status).toBe(422);
    expect(expectErrorShape(unknown)).toMatchObject({ code: 'strategy_rejected' });
    expect(unknown.json.error.message).toContain('Unknown strategy "moon-shot"');
    const bad = await api.request('PUT', '/api/paper/strategy', { body: { name: 'sma-crossover', params: { short_window: 'ten' } } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.message).toMatch(/^Invalid params for sma-crossover/);
  });

  it('answers 422 with the engine reason and the rejected order id when the engine refuses an order', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const before = api.rig.snapshot().portfolio;
    const cases = [
      [{ symbol: 'ZZZZ', qty: 1, side: 'buy' }, 'Unknown symbol "ZZZZ"; add it to the watchlist first.'],
      [{ symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'limit', limit_price: '99.999' }, 'Limit price 99.999 is not a multiple of the 0.01 tick for AAPL.'],
      [{ symbol: 'AAPL', qty: 5000, side: 'buy' }, 'Not enough cash: buying 5000 AAPL at about 100.02 needs $500,100.00, $100,000.00 available.'],
      [{ symbol: 'AAPL', qty: 1, side: 'sell' }, 'Cannot sell 1 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin).'],
    ] as const;
    for (const [body, message] of cases) {
      const reply = await api.request('POST', '/api/paper/order', { body });
      expect(reply.status, JSON.stringify(body)).toBe(422);
      const error = expectErrorShape(reply);
      expect(error.code).toBe('order_rejected');
      expect(error.message).toBe(message);
      const rejected = api.rig.order(reply.json.error.order_id);
      expect(rejected.status).toBe('rejected');
    }
    expect(api.rig.snapshot().portfolio).toEqual(before);
    expect(api.rig.snapshot().fills).toEqual([]);
  });

  it('answers 422 client_order_id_in_use for a client_order_id the account already used, naming that order', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const body = { symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'limit', limit_price: '90', client_order_id: 'bot-1' };
    const first = await api.request('POST', '/api/paper/order', { body });
    expect(first.status).toBe(201);
    const again = await api.request('POST', '/api/paper/order', { body: { ...body, qty: 2 } });
    expect(again.status).toBe(422);
    expect(expectErrorShape(again)).toEqual({
      code: 'client_order_id_in_use',
      message: `client_order_id "bot-1" is already used by order ${first.json.id}: each order needs its own.`,
      order_id: first.json.id,
    });
    expect(api.rig.snapshot().orders).toHaveLength(1);
  });

  it('takes the camelCase spellings of the engine too (one schema), and refuses both spellings when they disagree', async () => {
    api = await apiRig(EVENTS);
    await api.rig.step();
    const camel = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy', type: 'limit', limitPrice: '90', timeInForce: 'gtc' } });
    expect(camel.status).toBe(201);
    expect(camel.json).toMatchObject({ order_type: 'limit', limit_price: '90.00', time_in_force: 'gtc' });
    const clash = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy', time_in_force: 'gtc', timeInForce: 'day' } });
    expect(clash.status).toBe(400);
    expect(clash.json.error.message).toBe('Fields time_in_force "gtc" and timeInForce "day" disagree: give one of them.');
  });

  it('answers 404 for an unknown route and 405 with Allow for a known path with another method', async () => {
    api = await apiRig(EVENTS);
    const missing = await api.request('GET', '/api/paper/positions');
    expect(missing.status).toBe(404);
    expect(expectErrorShape(missing).code).toBe('route_not_found');
    // It names the paths there are, so a guess at a route is one look away from the right one.
    expect(missing.json.error.message).toMatch(/^There is no route GET \/api\/paper\/positions; the paths under \/api\/paper are \/portfolio, .*\/orders\/\{id\}.* \(docs\/openapi\.json describes them\)\.$/);
    const wrong = await api.request('POST', '/api/paper/orders', { body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect(expectErrorShape(wrong).code).toBe('method_not_allowed');
  });
});
