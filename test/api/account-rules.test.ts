// Risk limits and the kill switch over HTTP: read, set (all or none), and what they refuse; the
// splits and dividends the account met; a margin account's short sale and its rules.
import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('risk over HTTP', () => {
  it('sets limits with PATCH /risk, refuses an order past one with 422 and the reason, and a bad value with 400 changing nothing', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    expect((await api.request('GET', '/api/paper/risk')).json).toEqual({
      max_position_value: null, max_order_notional: null, max_open_orders: null, daily_loss_limit: null, kill_switch: false, halted: null, day_pnl: null, pattern_day_trader: true, borrow_rate: null,
    });
    const set = await api.request('PATCH', '/api/paper/risk', { body: { max_order_notional: '5000', max_open_orders: 10 } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ max_order_notional: '5000.00', max_open_orders: 10 });

    const big = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 50, side: 'buy' } });
    expect(big.status).toBe(422);
    expect(big.json.error.message).toBe("This order is worth $5,001.00 (50 AAPL at about 100.02), over the account's max order notional of $5,000.00.");

    const bad = await api.request('PATCH', '/api/paper/risk', { body: { max_order_notional: null, daily_loss_limit: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('Risk limit daily_loss_limit must be an amount in dollars above 0 such as 1000, or off, got "lots".');
    expect((await api.request('GET', '/api/paper/risk')).json.max_order_notional).toBe('5000.00');
    const off = await api.request('PATCH', '/api/paper/risk', { body: { max_order_notional: null } });
    expect(off.json.max_order_notional).toBeNull();
  });

  it('engages the kill switch with POST /kill-switch: orders canceled, opening orders refused, closing ones taken; DELETE releases it', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy' } });
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 5, side: 'buy', order_type: 'limit', limit_price: '90', time_in_force: 'gtc' } });
    const kill = await api.request('POST', '/api/paper/kill-switch');
    expect(kill.json).toMatchObject({ kill_switch: true, canceled: 1 });
    const buy = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy' } });
    expect(buy.status).toBe(422);
    expect(buy.json.error.message).toMatch(/^The kill switch is on/);
    expect((await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'sell' } })).status).toBe(201);
    expect((await api.request('DELETE', '/api/paper/kill-switch')).json.kill_switch).toBe(false);
    expect((await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy' } })).status).toBe(201);
  });
});

describe('corporate actions over HTTP', () => {
  it('lists the splits and dividends the account met, as account activities', async () => {
    const day = 86_400_000;
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + day, 50, 50.01)], {}, {
      symbols: ['AAPL'],
      corporateActions: { splits: [{ id: 'S1', symbol: 'AAPL', date: '2026-11-04', from: 1n, to: 2n }], dividends: [{ id: 'D1', symbol: 'AAPL', exDate: '2026-11-04', payDate: '2026-11-04', perShare: 100_000n }] },
    });
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy' } });
    await api.rig.step();
    expect((await api.request('GET', '/api/paper/corporate-actions')).json.actions).toEqual([
      { id: 'a-1', symbol: 'AAPL', time: T0 + day, activity_type: 'SPLIT', date: '2026-11-04', split_from: '1', split_to: '2', qty_before: '10', qty_after: '20' },
      { id: 'a-2', symbol: 'AAPL', time: T0 + day, activity_type: 'DIV_OWED', ex_date: '2026-11-04', pay_date: '2026-11-04', per_share: '0.10', qty: '20', amount: '2.00' },
      { id: 'a-3', symbol: 'AAPL', time: T0 + day, activity_type: 'DIV', owed_id: 'a-2', amount: '2.00' },
    ]);
  });
});

describe('a margin account over HTTP', () => {
  it('sells short with POST /order, shows the short and the margin figures in /portfolio, and covers it exactly', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 95, 95.02)], {}, { symbols: ['AAPL'], margin: true });
    await api.rig.step();
    const short = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 200, side: 'sell' } });
    expect(short.json).toMatchObject({ status: 'filled', avg_fill_price: '100.00' });
    const portfolio = (await api.request('GET', '/api/paper/portfolio')).json;
    expect(portfolio).toMatchObject({
      account_kind: 'margin',
      cash: '120000.00',
      equity: '99998.00',
      positions: [{ symbol: 'AAPL', qty: '-200', side: 'short', cost_basis: '-20000.00', market_value: '-20002.00', unrealized_pnl: '-2.00' }],
      margin: { multiplier: 4, long_market_value: '0.00', short_market_value: '20002.00', maintenance_margin: '6000.60', margin_call: false, daytrade_count: 0, pattern_day_trader: true },
    });
    await api.rig.step();
    const cover = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 200, side: 'buy' } });
    expect(cover.json).toMatchObject({ status: 'filled', avg_fill_price: '95.02' });
    // 20000.00 in, 19004.00 out: 996.00 made on the fall.
    expect((await api.request('GET', '/api/paper/portfolio')).json).toMatchObject({ cash: '100996.00', realized_pnl: '996.00', positions: [], margin: { daytrade_count: 1 } });
  });

  it('turns the pattern-day-trader rule off and on with PATCH /risk, refusing a value that is not true or false and changing nothing', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)], {}, { symbols: ['AAPL'], margin: true });
    const off = await api.request('PATCH', '/api/paper/risk', { body: { pattern_day_trader: false, max_open_orders: 5 } });
    expect(off.json).toMatchObject({ pattern_day_trader: false, max_open_orders: 5 });
    const bad = await api.request('PATCH', '/api/paper/risk', { body: { pattern_day_trader: 'no', max_open_orders: 9 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('pattern_day_trader must be true or false, got "no".');
    expect((await api.request('GET', '/api/paper/risk')).json).toMatchObject({ pattern_day_trader: false, max_open_orders: 5 });
    expect((await api.request('PATCH', '/api/paper/risk', { body: { pattern_day_trader: true } })).json.pattern_day_trader).toBe(true);
  });

  it('sets a borrow rate with PATCH /risk, refuses one that is not a percent changing nothing, and lists the fees charged', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + 86_400_000, 100, 100.02)], {}, { symbols: ['AAPL'], margin: true });
    await api.rig.step();
    expect((await api.request('PATCH', '/api/paper/risk', { body: { borrow_rate: '3.6' } })).json.borrow_rate).toBe('3.6');
    const bad = await api.request('PATCH', '/api/paper/risk', { body: { borrow_rate: 'cheap', max_open_orders: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('Borrow_rate must be a percent a year above 0 and at most 100, such as 3 or 0.25, or off; got "cheap".');
    expect((await api.request('GET', '/api/paper/risk')).json).toMatchObject({ borrow_rate: '3.6', max_open_orders: null });
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 100, side: 'sell' } });
    await api.rig.step();
    expect((await api.request('GET', '/api/paper/corporate-actions')).json.actions).toEqual([
      { id: 'a-1', symbol: 'AAPL', time: T0 + 86_400_000, activity_type: 'FEE', fee_type: 'borrow', date: '2026-11-04', days: 1, qty: '-100', price: '100.01', rate: '3.6', amount: '-1.00' },
    ]);
    expect((await api.request('PATCH', '/api/paper/risk', { body: { borrow_rate: null } })).json.borrow_rate).toBeNull();
  });

  it('refuses a short in a cash account with 422, saying a margin account is needed', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    const short = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'sell' } });
    expect(short.status).toBe(422);
    expect(short.json.error.message).toBe('Cannot sell 1 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin).');
  });
});

describe('metrics over HTTP', () => {
  it('serves the performance with GET /metrics, in snake_case, and refuses a risk_free_rate that is not a yearly fraction', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02)]);
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'buy' } });
    await api.rig.step();
    await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 10, side: 'sell' } });
    const metrics = await api.request('GET', '/api/paper/metrics?risk_free_rate=0.04');
    expect(metrics.status).toBe(200);
    expect(metrics.json).toMatchObject({
      basis: { returns: 'daily', trading_days_a_year: 252, risk_free_rate: 0.04 },
      trades: { trades: 2, closed_trades: 1, winning_trades: 1, gross_profit: '9.80', profit_factor: null, expectancy: '9.80', average_win: '9.80', fees: '0.00' },
      by_symbol: [{ symbol: 'AAPL', closed_trades: 1 }],
      by_owner: [{ owner: 'user', trades: 2 }],
    });
    const bad = await api.request('GET', '/api/paper/metrics?risk_free_rate=4%25');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('"risk_free_rate": must be a yearly fraction such as 0.04 (for 4%).');
  });
});
