// Risk limits and the kill switch over HTTP: read, set (all or none), and what they refuse; and the
// splits and dividends the account met.
import { afterEach, describe, expect, it } from 'vitest';
import { quote, T0 } from '../helpers/engine-rig.ts';
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
      max_position_value: null, max_order_notional: null, max_open_orders: null, daily_loss_limit: null, kill_switch: false, halted: null, day_pnl: null,
    });
    const set = await api.request('PATCH', '/api/paper/risk', { body: { max_order_notional: '5000', max_open_orders: 10 } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ max_order_notional: '5000.00', max_open_orders: 10 });

    const big = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 50, side: 'buy' } });
    expect(big.status).toBe(422);
    expect(big.json.error.message).toBe("This order is worth $5001.00 (50 AAPL at about 100.02), over the account's max order notional of $5000.00.");

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
