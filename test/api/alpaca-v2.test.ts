// Alpaca's Trading API (/v2, /v3) through Alpaca's own client (@alpacahq/alpaca-trade-api v4),
// pointed at the real server on 127.0.0.1: what a bot written for Alpaca's paper account sees.
import { trading } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoQuote, quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, send, type ApiRig } from './api-rig.ts';

const KEYS = { keyId: 'PKTESTKEY0123456789A', secret: 'test-secret-0123456789abcdefghijklmnopqrstuv' };

let api: ApiRig;
let config: trading.Configuration;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)], { alpaca: KEYS });
  await api.rig.step();
  config = new trading.Configuration({ basePath: api.api.url, keyId: KEYS.keyId, secret: KEYS.secret });
});
afterAll(() => api.close());

describe("Alpaca's account", () => {
  it('is the paper account’s books, in Alpaca’s fields', async () => {
    await api.rig.place({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'market' });
    const account = await new trading.AccountsApi(config).getAccount();
    const { portfolio } = api.rig.engine.snapshot();
    expect(account).toMatchObject({ status: 'ACTIVE', currency: 'USD', cash: portfolio.cash, equity: portfolio.totalEquity, buyingPower: portfolio.buyingPower, tradingBlocked: false });
    expect(account.cash).toBe('98999.80');
  });
});

describe("Alpaca's clock", () => {
  it('clock() (/v3) and legacyClock() (/v2) say what the engine says of the US stock market', async () => {
    const engineClock = api.rig.engine.stockClock();
    const legacy = await new trading.ClockApi(config).legacyClock();
    expect(legacy.isOpen).toBe(engineClock.isOpen);
    expect(legacy.timestamp.getTime()).toBe(Math.floor(engineClock.time / 1000) * 1000);
    expect(legacy.nextOpen.getTime()).toBe(engineClock.nextOpen);
    expect(legacy.nextClose.getTime()).toBe(engineClock.nextClose);
    // T0 is 10:00 New York on a Tuesday: open, closing at 16:00, opening next on Wednesday at 9:30.
    expect(legacy.isOpen).toBe(true);
    expect(legacy.nextClose.toISOString()).toBe('2026-11-03T21:00:00.000Z');
    expect(legacy.nextOpen.toISOString()).toBe('2026-11-04T14:30:00.000Z');
    const { clocks } = await new trading.ClockApi(config).clock();
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ phase: 'core', isMarketDay: true, market: { acronym: 'NYSE', timezone: 'America/New_York' } });
    expect(clocks[0]!.nextMarketClose.toISOString()).toBe('2026-11-03T21:00:00.000Z');
  });
});

describe("Alpaca's orders", () => {
  const orders = () => new trading.OrdersApi(config);

  it('a market buy fills at the ask; a limit under it works; both are listed, found by id and by client_order_id', async () => {
    const market = await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '5', side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'bot-market-1' } });
    expect(market).toMatchObject({ symbol: 'AAPL', qty: '5', side: 'buy', type: 'market', status: 'filled', filledQty: '5', filledAvgPrice: '100.02', clientOrderId: 'bot-market-1', assetClass: 'us_equity' });
    expect(market.filledAt).toBeInstanceOf(Date);
    const limit = await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '3', side: 'buy', type: 'limit', limitPrice: '95', timeInForce: 'gtc', clientOrderId: 'bot-limit-1' } });
    expect(limit).toMatchObject({ status: 'accepted', limitPrice: '95.00', timeInForce: 'gtc' });
    expect((await orders().getAllOrders({ status: 'open' })).map((o) => o.id)).toEqual([limit.id]);
    expect((await orders().getAllOrders({ status: 'all' })).map((o) => o.id).slice(0, 2)).toEqual([limit.id, market.id]);
    expect(await orders().getOrderByOrderID({ orderId: limit.id! })).toMatchObject({ id: limit.id, clientOrderId: 'bot-limit-1' });
    expect(await orders().getOrderByClientOrderId({ clientOrderId: 'bot-market-1' })).toMatchObject({ id: market.id });
  });

  it('replaces a working order in place, cancels one (204), cancels all (207)', async () => {
    const limit = await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limitPrice: '90', timeInForce: 'day' } });
    const replaced = await orders().patchOrderByOrderId({ orderId: limit.id!, patchOrderRequest: { qty: '4', limitPrice: '91' } });
    expect(replaced).toMatchObject({ id: limit.id, qty: '4', limitPrice: '91.00', status: 'accepted' });
    await orders().deleteOrderByOrderID({ orderId: limit.id! });
    expect(await orders().getOrderByOrderID({ orderId: limit.id! })).toMatchObject({ status: 'canceled' });
    await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limitPrice: '80', timeInForce: 'day' } });
    const canceled = await orders().deleteAllOrders();
    expect(canceled.length).toBeGreaterThanOrEqual(1);
    expect(canceled.every((entry) => entry.status === 200)).toBe(true);
    expect(await orders().getAllOrders({ status: 'open' })).toEqual([]);
  });

  it('places a bracket: the entry fills, its take-profit and stop-loss are its legs', async () => {
    const bracket = await orders().postOrder({
      postOrderRequest: { symbol: 'AAPL', qty: '2', side: 'buy', type: 'market', timeInForce: 'day', orderClass: 'bracket', takeProfit: { limitPrice: '120' }, stopLoss: { stopPrice: '90' } },
    });
    expect(bracket).toMatchObject({ orderClass: 'bracket', status: 'filled' });
    expect(bracket.legs?.map((leg) => [leg.type, leg.side, leg.limitPrice ?? leg.stopPrice])).toEqual([['limit', 'sell', '120.00'], ['stop', 'sell', '90.00']]);
  });

  it('takes a notional market order as the qty its dollars buy at the ask now: fractional for a day order, whole shares for gtc', async () => {
    const day = await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', notional: '1000', side: 'buy', type: 'market', timeInForce: 'day' } });
    // $1,000 at the ask of 100.02 is 9.998000399 shares (to the engine's 9 decimals, cut, never over).
    expect(day).toMatchObject({ qty: '9.998000399', filledQty: '9.998000399', filledAvgPrice: '100.02', status: 'filled' });
    const gtc = await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', notional: '1000', side: 'sell', type: 'market', timeInForce: 'gtc' } });
    expect(gtc).toMatchObject({ qty: '10', side: 'sell', filledAvgPrice: '100.00' });
    // Back to the shares held before, for the tests after.
    await orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '0.001999601', side: 'buy', type: 'market', timeInForce: 'day' } });
  });

  it('refuses as Alpaca does: 403 for buying power, 422 for what it cannot take, 404 for an unknown order', async () => {
    await expect(orders().postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '100000', side: 'buy', type: 'market', timeInForce: 'day' } })).rejects.toMatchObject({ response: { status: 403 } });
    await expect(orders().postOrder({ postOrderRequest: { symbol: 'AAPL', notional: '500', qty: '1', side: 'buy', type: 'market', timeInForce: 'day' } })).rejects.toMatchObject({ response: { status: 422 } });
    await expect(orders().postOrder({ postOrderRequest: { symbol: 'AAPL', notional: '500', side: 'buy', type: 'limit', limitPrice: '99', timeInForce: 'day' } })).rejects.toMatchObject({ response: { status: 422 } });
    await expect(orders().postOrder({ postOrderRequest: { symbol: 'AAPL', notional: '0.001', side: 'buy', type: 'market', timeInForce: 'day' } })).rejects.toMatchObject({ response: { status: 422 } });
    await expect(orders().getOrderByOrderID({ orderId: 'o-999' })).rejects.toMatchObject({ response: { status: 404 } });
    const duplicate = await send(api.api.url, undefined, 'POST', '/v2/orders', {
      token: false,
      headers: { 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret },
      body: { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '50', time_in_force: 'day', client_order_id: 'bot-limit-1' },
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json).toEqual({ code: 40010001, message: 'client_order_id must be unique' });
  });
});

describe("Alpaca's positions", () => {
  const positions = () => new trading.PositionsApi(config);

  it('lists the position with Alpaca’s fields, closes half of it by percentage, then all with cancel_orders', async () => {
    const held = api.rig.engine.snapshot().portfolio.positions.find((p) => p.symbol === 'AAPL')!;
    const [listed] = await positions().getAllOpenPositions();
    expect(listed).toMatchObject({ symbol: 'AAPL', qty: held.qty, side: 'long', avgEntryPrice: held.avgPrice, costBasis: held.costBasis, marketValue: held.marketValue, assetClass: 'us_equity' });
    expect(await positions().getOpenPosition({ symbolOrAssetId: 'AAPL' })).toMatchObject({ qty: held.qty });
    const half = await positions().deleteOpenPosition({ symbolOrAssetId: 'AAPL', percentage: 50 });
    expect(half).toMatchObject({ side: 'sell', type: 'market', qty: String(Number(held.qty) / 2), status: 'filled', filledAvgPrice: '100.00' });
    const closed = await positions().deleteAllOpenPositions({ cancelOrders: true });
    expect(closed.map((entry) => [entry.symbol, entry.status])).toEqual([['AAPL', 200]]);
    expect(await positions().getAllOpenPositions()).toEqual([]);
    await expect(positions().getOpenPosition({ symbolOrAssetId: 'AAPL' })).rejects.toMatchObject({ response: { status: 404 } });
  });
});

describe("Alpaca's assets", () => {
  it('lists the tickers this run trades, and finds one by symbol, or says it is not one (404)', async () => {
    const assets = new trading.AssetsApi(config);
    expect((await assets.getV2Assets()).map((asset) => asset.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(await assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'AAPL' })).toMatchObject({ symbol: 'AAPL', status: 'active', tradable: true, _class: 'us_equity' });
    await expect(assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'ZZZZ' })).rejects.toMatchObject({ response: { status: 404 } });
  });
});

describe("Alpaca's activities and portfolio history", () => {
  it('lists the fills as FILL activities, newest first, a page at a time, with each order’s cum_qty', async () => {
    const activitiesApi = new trading.AccountActivitiesApi(config);
    const fills = api.rig.engine.fillHistory({ limit: 10_000 }).items;
    const listed = await activitiesApi.getAccountActivities({ activityTypes: ['FILL'] });
    expect(listed.map((activity) => activity.id)).toEqual(fills.map((fill) => fill.id).reverse());
    expect(listed[0]).toMatchObject({ activityType: 'FILL', orderId: fills.at(-1)!.orderId, symbol: 'AAPL', type: 'fill', leavesQty: '0' });
    const [first] = await activitiesApi.getAccountActivities({ activityTypes: ['FILL'], direction: 'asc', pageSize: 1 });
    expect(first).toMatchObject({ id: fills[0]!.id, cumQty: fills[0]!.qty, price: fills[0]!.price });
    const next = await activitiesApi.getAccountActivities({ activityTypes: ['FILL'], direction: 'asc', pageSize: 1, pageToken: fills[0]!.id });
    expect(next.map((activity) => activity.id)).toEqual([fills[1]!.id]);
    // By type (Alpaca's client reads these as its own union: the id is what it keeps of ours).
    expect((await activitiesApi.getAccountActivitiesByActivityType({ activityType: 'FILL', pageSize: 2 })).map((activity) => activity.id)).toEqual([fills.at(-1)!.id, fills.at(-2)!.id]);
    expect(await activitiesApi.getAccountActivitiesByActivityType({ activityType: 'DIV' })).toEqual([]);
  });

  it('gives the equity series as Alpaca’s parallel arrays', async () => {
    const history = await new trading.PortfolioHistoryApi(config).getAccountPortfolioHistory({ period: '1D' });
    expect(history.equity.length).toBeGreaterThan(0);
    expect(history.timestamp.length).toBe(history.equity.length);
    expect(history.profitLoss[0]).toBe(0);
    expect(history.equity.at(-1)).toBe(Number(api.rig.engine.snapshot().equity.at(-1)!.equity));
  });
});

describe("Alpaca's crypto spelling", () => {
  it('takes BTC/USD (and BTCUSD) for X:BTCUSD, answers orders and assets as BTC/USD and positions as BTCUSD, as Alpaca does', async () => {
    const crypto = await apiRig([cryptoQuote('BTC-USD', T0, 95_000, 95_010, 2, 2)], { alpaca: KEYS }, { symbols: ['AAPL', 'X:BTCUSD'] });
    try {
      await crypto.rig.step();
      const cryptoConfig = new trading.Configuration({ basePath: crypto.api.url, keyId: KEYS.keyId, secret: KEYS.secret });
      const orders = new trading.OrdersApi(cryptoConfig);
      const bought = await orders.postOrder({ postOrderRequest: { symbol: 'BTC/USD', qty: '0.5', side: 'buy', type: 'market', timeInForce: 'gtc' } });
      expect(bought).toMatchObject({ symbol: 'BTC/USD', assetClass: 'crypto', status: 'filled', filledQty: '0.5', filledAvgPrice: '95010.00' });
      expect(crypto.rig.engine.order(bought.id!)?.symbol).toBe('X:BTCUSD');
      const compact = await orders.postOrder({ postOrderRequest: { symbol: 'BTCUSD', qty: '0.25', side: 'buy', type: 'limit', limitPrice: '90000', timeInForce: 'gtc' } });
      expect(compact).toMatchObject({ symbol: 'BTC/USD', status: 'accepted' });
      expect((await orders.getAllOrders({ status: 'all', symbols: 'BTC/USD' })).map((o) => o.id)).toEqual([compact.id, bought.id]);
      expect(await orders.getAllOrders({ status: 'all', symbols: 'AAPL' })).toEqual([]);

      const positions = new trading.PositionsApi(cryptoConfig);
      expect((await positions.getAllOpenPositions()).map((p) => [p.symbol, p.assetClass, p.qty])).toEqual([['BTCUSD', 'crypto', '0.5']]);
      for (const asked of ['BTCUSD', 'BTC/USD', 'X:BTCUSD']) expect(await positions.getOpenPosition({ symbolOrAssetId: asked }), asked).toMatchObject({ symbol: 'BTCUSD' });
      const sold = await positions.deleteOpenPosition({ symbolOrAssetId: 'BTCUSD', qty: 0.2 });
      expect(sold).toMatchObject({ symbol: 'BTC/USD', side: 'sell', qty: '0.2', status: 'filled', filledAvgPrice: '95000.00' });

      const assets = new trading.AssetsApi(cryptoConfig);
      expect(await assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'BTC/USD' })).toMatchObject({ symbol: 'BTC/USD', _class: 'crypto', exchange: 'CRYPTO', fractionable: true });
      expect((await assets.getV2Assets({ assetClass: 'crypto' })).map((asset) => asset.symbol)).toEqual(['BTC/USD']);
      const [activity] = await new trading.AccountActivitiesApi(cryptoConfig).getAccountActivities({ activityTypes: ['FILL'] });
      expect(activity).toMatchObject({ symbol: 'BTC/USD', qty: '0.2', side: 'sell' });
      expect((await positions.deleteAllOpenPositions({ cancelOrders: true })).map((entry) => [entry.symbol, entry.status])).toEqual([['BTCUSD', 200]]);
    } finally {
      await crypto.close();
    }
  });
});

describe("Alpaca's paging", () => {
  it('finds the orders a filter keeps past pages it does not (symbols with limit), and counts cum_qty of fractional fills exactly', async () => {
    const paged = await apiRig(
      [quote('AAPL', T0, 100, 100.02), cryptoQuote('BTC-USD', T0, 95_000, 95_010, 0.1, 0.1), cryptoQuote('BTC-USD', T0 + 1_000, 95_000, 95_010, 0.2, 0.2)],
      { alpaca: KEYS },
      { symbols: ['AAPL', 'MSFT', 'X:BTCUSD'] },
    );
    try {
      await paged.rig.step(2);
      const pagedConfig = new trading.Configuration({ basePath: paged.api.url, keyId: KEYS.keyId, secret: KEYS.secret });
      const orders = new trading.OrdersApi(pagedConfig);
      const limit = (symbol: string, price: string) => orders.postOrder({ postOrderRequest: { symbol, qty: '1', side: 'buy', type: 'limit', limitPrice: price, timeInForce: 'gtc' } });
      const older = await limit('AAPL', '90');
      const msft = await limit('MSFT', '90');
      await limit('AAPL', '91');
      await limit('AAPL', '92');
      // Newest first, one at a time: the MSFT order is two AAPL orders down.
      expect((await orders.getAllOrders({ status: 'open', symbols: 'MSFT', limit: 1 })).map((o) => o.id)).toEqual([msft.id]);
      expect((await orders.getAllOrders({ status: 'open', symbols: 'AAPL', limit: 3, direction: 'asc' })).map((o) => o.id)[0]).toBe(older.id);

      // 0.3 BTC against 0.1 shown, then 0.2: two fills, whose cum_qty is 0.1 then 0.3 (floats would say 0.30000000000000004).
      const bought = await orders.postOrder({ postOrderRequest: { symbol: 'BTC/USD', qty: '0.3', side: 'buy', type: 'market', timeInForce: 'gtc' } });
      expect(bought).toMatchObject({ status: 'partially_filled', filledQty: '0.1' });
      await paged.rig.step();
      const fills = await new trading.AccountActivitiesApi(pagedConfig).getAccountActivities({ activityTypes: ['FILL'] });
      expect(fills.map((fill) => [fill.qty, fill.cumQty, fill.leavesQty, fill.type])).toEqual([
        ['0.2', '0.3', '0', 'fill'],
        ['0.1', '0.1', '0.2', 'partial_fill'],
      ]);
      // The account opened at its first equity point, however long the run has gone on since.
      expect(paged.rig.engine.snapshot().time).toBe(T0 + 1_000);
      expect((await new trading.AccountsApi(pagedConfig).getAccount()).createdAt?.toISOString()).toBe(new Date(T0).toISOString());
    } finally {
      await paged.close();
    }
  });
});

describe("Alpaca's portfolio history over a long run", () => {
  it('samples its 1,000 points over the period asked, not over the whole run', async () => {
    const minute = 60_000;
    const quotes = Array.from({ length: 3_000 }, (_, i) => quote('AAPL', T0 + i * minute, 100 + (i % 7) / 100, 100.02 + (i % 7) / 100));
    const long = await apiRig(quotes, { alpaca: KEYS });
    try {
      await long.rig.step(3_000);
      const history = await new trading.PortfolioHistoryApi(new trading.Configuration({ basePath: long.api.url, keyId: KEYS.keyId, secret: KEYS.secret })).getAccountPortfolioHistory({ period: '1D' });
      const now = long.rig.engine.snapshot().time;
      expect(history.timestamp).toHaveLength(1_000);
      expect(Math.min(...history.timestamp)).toBeGreaterThanOrEqual(Math.floor((now - 86_400_000) / 1000));
      expect(history.timestamp.at(-1)).toBe(Math.floor(now / 1000));
    } finally {
      await long.close();
    }
  });
});

describe("Alpaca's answers at the edges", () => {
  const alpaca = (method: string, path: string, body?: unknown) =>
    send(api.api.url, undefined, method, path, { token: false, headers: { 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret }, ...(body === undefined ? {} : { body }) });

  it('answers a query value or a body it cannot take with 422 40010001, as its routes do', async () => {
    const pastTheNewest = `f-${Number(api.rig.engine.fillHistory({ direction: 'desc', limit: 1 }).items[0]!.id.slice(2)) + 1}`;
    for (const path of ['/v2/orders?status=bogus', '/v2/orders?limit=0', '/v2/account/activities?direction=up', '/v2/account/activities?page_token=nope', `/v2/account/activities?page_token=${pastTheNewest}`, '/v2/orders:by_client_order_id']) {
      const reply = await alpaca('GET', path);
      expect([reply.status, reply.json.code], path).toEqual([422, 40010001]);
    }
    const badJson = await send(api.api.url, undefined, 'POST', '/v2/orders', { token: false, rawBody: '{"symbol":', headers: { 'content-type': 'application/json', 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret } });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toEqual({ code: 40000000, message: expect.any(String) });
  });

  it('takes a replace that repeats the order’s own client_order_id (its id, when it had none) and time_in_force in any case', async () => {
    const placed = await alpaca('POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '50', time_in_force: 'day' });
    expect(placed.json.client_order_id).toBe(placed.json.id);
    const replaced = await alpaca('PATCH', `/v2/orders/${placed.json.id}`, { limit_price: '51', client_order_id: placed.json.id, time_in_force: 'DAY' });
    expect([replaced.status, replaced.json.limit_price]).toEqual([200, '51.00']);
    expect((await alpaca('PATCH', `/v2/orders/${placed.json.id}`, { limit_price: '52', time_in_force: 'gtc' })).status).toBe(422);
    expect((await alpaca('DELETE', `/v2/orders/${placed.json.id}`)).status).toBe(204);
  });

  it('says what is wrong with a percentage too fine to close', async () => {
    await api.rig.place({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'market' });
    const tooManyDecimals = await alpaca('DELETE', '/v2/positions/AAPL?percentage=0.0000000001');
    expect([tooManyDecimals.status, tooManyDecimals.json.code]).toEqual([422, 40010001]);
    expect(tooManyDecimals.json.message).toContain('more than 9 decimals');
    const underOneUnit = await alpaca('DELETE', '/v2/positions/AAPL?percentage=0.000000001');
    expect([underOneUnit.status, underOneUnit.json.code]).toEqual([422, 40010001]);
    expect(underOneUnit.json.message).toContain('less than the smallest qty');
  });

  it('answers a method a route does not take with 405 and Allow, and keeps the secret out of the log and either API’s replies', async () => {
    const put = await alpaca('PUT', '/v2/account');
    expect([put.status, put.json.code, put.headers.allow]).toEqual([405, 40510000, 'GET']);
    await alpaca('GET', `/v2/positions/${KEYS.secret}`);
    expect(api.logLines.some((line) => line.includes('/v2/positions/'))).toBe(true);
    expect(api.logLines.join('\n')).not.toContain(KEYS.secret);
    // An order whose client_order_id is the secret: neither API's replies give it back.
    const placed = await alpaca('POST', '/v2/orders', { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', limit_price: '1', time_in_force: 'day', client_order_id: KEYS.secret });
    expect(placed.status).toBe(200);
    const listed = await api.request('GET', '/api/paper/orders?status=open');
    expect(listed.json.orders.map((order: { id: string }) => order.id)).toContain(placed.json.id);
    expect(listed.text).not.toContain(KEYS.secret);
    expect((await alpaca('DELETE', `/v2/orders/${placed.json.id}`)).status).toBe(204);
  });

  it('refuses to close shares a working sell already holds with 403, as Alpaca’s "insufficient qty available"', async () => {
    await api.rig.place({ symbol: 'AAPL', side: 'buy', qty: '2', type: 'market' });
    const held = api.rig.engine.snapshot().portfolio.positions.find((p) => p.symbol === 'AAPL')!.qty;
    const working = await alpaca('POST', '/v2/orders', { symbol: 'AAPL', qty: held, side: 'sell', type: 'limit', limit_price: '500', time_in_force: 'gtc' });
    const close = await alpaca('DELETE', '/v2/positions/AAPL');
    expect([close.status, close.json.code]).toEqual([403, 40310000]);
    expect(close.json.message).toContain('available to sell');
    expect((await alpaca('DELETE', `/v2/orders/${working.json.id}`)).status).toBe(204);
  });
});

describe("Alpaca's keys and errors", () => {
  it('refuses a wrong or missing key pair with 401 in Alpaca’s error shape, never echoing the secret', async () => {
    const wrong = new trading.Configuration({ basePath: api.api.url, keyId: KEYS.keyId, secret: 'wrong-secret-0123456789' });
    await expect(new trading.AccountsApi(wrong).getAccount()).rejects.toMatchObject({ response: { status: 401 } });
    const bare = await send(api.api.url, undefined, 'GET', '/v2/account', { token: false });
    expect(bare.status).toBe(401);
    expect(bare.json).toEqual({ code: 40110000, message: expect.stringContaining('APCA-API-KEY-ID') });
    const unknown = await send(api.api.url, undefined, 'GET', '/v2/watchlists', { token: false, headers: { 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe(40410000);
    expect(unknown.text).not.toContain(KEYS.secret);
    // The server's own refusals (here the Host check) come in Alpaca's shape under /v2.
    const foreignHost = await send(api.api.url, undefined, 'GET', '/v2/account', { token: false, headers: { host: 'evil.example:80', 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret } });
    expect([foreignHost.status, foreignHost.json.code]).toEqual([403, 40300000]);
    // The bearer token of /api/paper opens nothing under /v2.
    expect((await api.request('GET', '/v2/account')).status).toBe(401);
  });
});
