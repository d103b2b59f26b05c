// Alpaca's trade_updates stream at /stream, through Alpaca's own client's trading stream: it
// authenticates with the key pair, listens, and hears each order's new, fill, replaced, canceled.
import { Alpaca, trading } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoQuote, quote, T0 } from '../helpers/engine-rig.ts';
import { until } from '../helpers/until.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

const KEYS = { keyId: 'PKSTREAMKEY012345678', secret: 'stream-secret-0123456789abcdefghijklmnop' };

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)], { alpaca: KEYS });
  await api.rig.step();
});
afterAll(() => api.close());

describe('trade_updates', () => {
  it('authenticates, listens, and hears new, fill, replaced and canceled as orders change', async () => {
    const alpaca = new Alpaca({ keyId: KEYS.keyId, secret: KEYS.secret });
    const stream = alpaca.trading.stream({ url: `${api.api.url.replace('http', 'ws')}/stream` });
    const events: string[] = [];
    stream.onTradeUpdate((update) => events.push(`${update.event} ${update.order.id}`));
    stream.onConnect(() => stream.subscribeTradeUpdates());
    stream.connect();
    expect((await stream.whenAuthenticated()).authenticated).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const orders = new trading.OrdersApi(new trading.Configuration({ basePath: api.api.url, keyId: KEYS.keyId, secret: KEYS.secret }));
    const market = await orders.postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '2', side: 'buy', type: 'market', timeInForce: 'day' } });
    const limit = await orders.postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limitPrice: '90', timeInForce: 'day' } });
    await orders.patchOrderByOrderId({ orderId: limit.id!, patchOrderRequest: { limitPrice: '91' } });
    await orders.deleteOrderByOrderID({ orderId: limit.id! });
    await until(() => events.length >= 5, 3000);
    expect(events).toEqual([`new ${market.id}`, `fill ${market.id}`, `new ${limit.id}`, `replaced ${limit.id}`, `canceled ${limit.id}`]);
    stream.disconnect();
  });

  it('refuses a wrong key pair', async () => {
    const alpaca = new Alpaca({ keyId: KEYS.keyId, secret: 'wrong-secret-000000000000' });
    const stream = alpaca.trading.stream({ url: `${api.api.url.replace('http', 'ws')}/stream` });
    stream.connect();
    expect((await stream.whenAuthenticated()).authenticated).toBe(false);
    stream.disconnect();
  });

  it('says fill when an order’s fills add up to its qty exactly, however binary floats would sum them (0.7 + 0.1 BTC of 0.8)', async () => {
    const crypto = await apiRig([cryptoQuote('BTC-USD', T0, 95_000, 95_010, 0.7, 0.7), cryptoQuote('BTC-USD', T0 + 1_000, 95_000, 95_010, 0.1, 0.1)], { alpaca: KEYS }, { symbols: ['X:BTCUSD'] });
    try {
      await crypto.rig.step();
      const stream = new Alpaca({ keyId: KEYS.keyId, secret: KEYS.secret }).trading.stream({ url: `${crypto.api.url.replace('http', 'ws')}/stream` });
      const events: string[] = [];
      stream.onTradeUpdate((update) => events.push(`${update.event} ${update.order.filledQty}`));
      stream.onConnect(() => stream.subscribeTradeUpdates());
      stream.connect();
      await stream.whenAuthenticated();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await crypto.rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.8', type: 'market', timeInForce: 'gtc' });
      await crypto.rig.step();
      await until(() => events.length >= 3, 3000);
      expect(events).toEqual(['new 0', 'partial_fill 0.7', 'fill 0.8']);
      stream.disconnect();
    } finally {
      await crypto.close();
    }
  });
});
