// Brackets, ocos and otos over HTTP, in Alpaca's names: order_class, take_profit, stop_loss, and
// each parent's legs listed whole under it.
import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('linked orders over HTTP', () => {
  it('places a bracket, lists its legs under it, and fills it to the cent', async () => {
    api = await apiRig([quote('AAPL', T0, 99.9, 100.1), quote('AAPL', T0 + SECOND, 100, 100.02), quote('AAPL', T0 + 2 * SECOND, 101, 101.02)]);
    await api.rig.step();
    const placed = await api.request('POST', '/api/paper/order', {
      body: { symbol: 'AAPL', qty: '10', side: 'buy', type: 'limit', limit_price: '100.02', time_in_force: 'gtc', order_class: 'bracket', take_profit: { limit_price: '101' }, stop_loss: { stop_price: '99', limit_price: '98.90' } },
    });
    expect(placed.status).toBe(201);
    expect(placed.json).toMatchObject({
      id: 'o-1', order_class: 'bracket', parent_id: null, status: 'accepted',
      legs: [
        { id: 'o-2', parent_id: 'o-1', side: 'sell', order_type: 'limit', limit_price: '101.00', status: 'held', legs: null },
        { id: 'o-3', parent_id: 'o-1', side: 'sell', order_type: 'stop_limit', stop_price: '99.00', limit_price: '98.90', status: 'held' },
      ],
    });
    const open = await api.request('GET', '/api/paper/orders');
    expect(open.json.orders.map((o: { id: string; status: string }) => `${o.id} ${o.status}`)).toEqual(['o-1 accepted', 'o-2 held', 'o-3 held']);

    await api.rig.step();
    await api.rig.step();
    const done = await api.request('GET', '/api/paper/orders/o-1');
    expect(done.json).toMatchObject({ status: 'filled', legs: [{ id: 'o-2', status: 'filled', filled_qty: '10', avg_fill_price: '101.00' }, { id: 'o-3', status: 'canceled', reason: 'oco: o-2 filled' }] });
    const portfolio = await api.request('GET', '/api/paper/portfolio');
    expect(portfolio.json).toMatchObject({ cash: '100009.80', realized_pnl: '9.80' });
  });

  it('refuses a linked order that makes no sense with 400, and one the account cannot take with 422', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    const order = { symbol: 'AAPL', qty: 10, side: 'buy', order_class: 'bracket', take_profit: { limit_price: '101' }, stop_loss: { stop_price: '99' } };
    const inverted = await api.request('POST', '/api/paper/order', { body: { ...order, take_profit: { limit_price: '98' } } });
    expect(inverted.status).toBe(400);
    expect(inverted.json.error.message).toBe('The take-profit 98.00 must be above the stop-loss 99.00.');
    const typo = await api.request('POST', '/api/paper/order', { body: { ...order, stop_loss: { stop: '99' } } });
    expect(typo.json.error.message).toBe('Unknown field "stop" in stop_loss: it takes stop_price and limit_price.');
    const short = await api.request('POST', '/api/paper/order', { body: { ...order, side: 'sell', take_profit: { limit_price: '98' }, stop_loss: { stop_price: '102' } } });
    expect(short.status).toBe(422);
    expect(short.json.error.code).toBe('order_rejected');
    const leg = await api.request('POST', '/api/paper/order', { body: order });
    expect(leg.json.legs.map((l: { id: string; status: string }) => `${l.id} ${l.status}`)).toEqual(['o-3 accepted', 'o-4 accepted']);
    const resized = await api.request('PATCH', '/api/paper/orders/o-3', { body: { qty: 5 } });
    expect(resized.status).toBe(422);
    expect(resized.json.error.message).toBe("Order o-3 is a leg of o-2: its qty follows its entry's fills; replace its price, or cancel it.");
    const repriced = await api.request('PATCH', '/api/paper/orders/o-3', { body: { limit_price: '102' } });
    expect(repriced.json).toMatchObject({ id: 'o-3', limit_price: '102.00', parent_id: 'o-2' });
  });
});
