import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, expectErrorShape, TOKEN, type ApiRig, type HttpReply } from './api-rig.ts';

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)], { maxBodyBytes: 1024 });
  await api.rig.step();
});
afterAll(() => api.close());

const order = (body: unknown, rawBody?: string): Promise<HttpReply> => api.request('POST', '/api/paper/order', rawBody === undefined ? { body } : { rawBody });

async function expect400(reply: HttpReply, code: string, message: string | RegExp): Promise<void> {
  expect(reply.status, reply.text).toBe(400);
  const error = expectErrorShape(reply);
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

describe('HTTP API bad requests', () => {
  it('answers 400 invalid_json to malformed or empty JSON and changes nothing', async () => {
    const before = api.rig.snapshot();
    for (const raw of ['{"symbol": "AAPL", "qty": 10,', '{symbol: AAPL}', 'undefined', '{"a":1}}', '\u0000']) {
      await expect400(await order(undefined, raw), 'invalid_json', /^The request body is not valid JSON; send a JSON object such as/);
    }
    await expect400(await order(undefined, ''), 'invalid_json', 'The request body is empty; send a JSON object.');
    expect(api.rig.snapshot()).toEqual(before);
  });

  it('answers 400 naming the field and what it expects', async () => {
    const valid = { symbol: 'AAPL', qty: 1, side: 'buy' };
    // The engine's one order schema answers: the same words the screen, strategies and programs get.
    const cases: [unknown, string][] = [
      [[valid], 'An order must be an object such as {"symbol": "AAPL", "qty": 10, "side": "buy", "order_type": "market"}.'],
      [null, 'An order must be an object such as {"symbol": "AAPL", "qty": 10, "side": "buy", "order_type": "market"}.'],
      [{ qty: 1, side: 'buy' }, 'Symbol missing: say which symbol to trade, e.g. "AAPL".'],
      [{ ...valid, symbol: 7 }, 'Symbol must be a ticker such as "AAPL", got 7.'],
      [{ ...valid, symbol: '  ' }, 'Symbol is empty: give a ticker such as AAPL.'],
      [{ ...valid, symbol: 'AA PL' }, '"AA PL" is not a symbol: use a stock ticker (AAPL), a crypto pair (X:BTCUSD) or a forex pair (C:EURUSD).'],
      [{ symbol: 'AAPL', side: 'buy' }, 'Qty missing: say how many to trade.'],
      [{ ...valid, qty: 'ten' }, 'Qty "ten" is not a number: give a decimal such as 10 or "0.5".'],
      [{ ...valid, qty: '1e3' }, 'Qty "1e3" is not a number: give a decimal such as 10 or "0.5".'],
      [{ ...valid, qty: -5 }, 'Qty must be > 0, got -5.'],
      [{ ...valid, qty: 0 }, 'Qty must be > 0, got 0.'],
      [{ ...valid, qty: '0.000' }, 'Qty must be > 0, got "0.000".'],
      [{ ...valid, qty: '1.0000000001' }, 'Qty "1.0000000001" has more than 9 decimals.'],
      [{ ...valid, qty: 1e21 }, 'Qty 1e+21 is too large to be exact as a number: pass it as text, e.g. "1000000000000000000000".'],
      [{ ...valid, qty: 9007199254740993 }, 'Qty 9007199254740992 is too large to be exact as a number: pass it as text, e.g. "9007199254740992".'],
      [{ ...valid, qty: true }, 'Qty must be a number or a decimal string such as 10 or "0.5", got true.'],
      [{ ...valid, side: 'long' }, 'Side must be "buy" or "sell", got "long".'],
      [{ symbol: 'AAPL', qty: 1 }, 'Side missing: say "buy" or "sell".'],
      [{ ...valid, order_type: 'trailing' }, 'Order type must be one of market, limit, stop, stop_limit, trailing_stop, got "trailing".'],
      [{ ...valid, order_type: 'limit' }, 'Limit price missing for a limit order.'],
      [{ ...valid, order_type: 'limit', limit_price: '1,5' }, 'Limit price "1,5" is not a number: give a decimal such as 187.25.'],
      [{ ...valid, order_type: 'stop', stop_price: {} }, 'Stop price must be a number or a decimal string such as 187.25, got an object.'],
      [{ ...valid, limit_price: '100' }, 'A market order takes no limit price (got "100"); use a limit or stop-limit order.'],
      [{ ...valid, time_in_force: 'forever' }, 'Time in force must be one of day, gtc, ioc, fok, opg, cls, got "forever".'],
      [{ ...valid, client_order_id: 12 }, 'Client order id must be printable text of 1 to 64 characters, got 12.'],
      [{ ...valid, client_order_id: 'x'.repeat(65) }, `Client order id must be printable text of 1 to 64 characters, got "${'x'.repeat(40)}…".`],
      [{ ...valid, type: 'market', order_type: 'limit' }, 'Fields type "market" and order_type "limit" disagree: give one of them.'],
      [
        { ...valid, quantity: 1 },
        'Unknown field "quantity": an order takes symbol, side, qty, type (order_type), limitPrice (limit_price), stopPrice (stop_price), trailPrice (trail_price), trailPercent (trail_percent), timeInForce (time_in_force), clientOrderId (client_order_id), orderClass (order_class), takeProfit (take_profit), stopLoss (stop_loss) and extendedHours (extended_hours).',
      ],
      [
        { ...valid, limitprice: 1 },
        'Unknown field "limitprice" (did you mean limitPrice?): an order takes symbol, side, qty, type (order_type), limitPrice (limit_price), stopPrice (stop_price), trailPrice (trail_price), trailPercent (trail_percent), timeInForce (time_in_force), clientOrderId (client_order_id), orderClass (order_class), takeProfit (take_profit), stopLoss (stop_loss) and extendedHours (extended_hours).',
      ],
    ];
    const before = api.rig.snapshot();
    for (const [body, message] of cases) await expect400(await order(body), 'validation_failed', message);
    expect(api.rig.snapshot()).toEqual(before);
  });

  it('answers 400 to bad query parameters, naming them', async () => {
    await expect400(await api.request('GET', '/api/paper/trades?limit=0'), 'validation_failed', '"limit" must be a whole number from 1 to 10000.');
    await expect400(await api.request('GET', '/api/paper/trades?limit=abc'), 'validation_failed', '"limit" must be a whole number from 1 to 10000.');
    await expect400(await api.request('GET', '/api/paper/trades?limit=10001'), 'validation_failed', '"limit" must be a whole number from 1 to 10000.');
    await expect400(await api.request('GET', '/api/paper/orders?status=done'), 'validation_failed', '"status" must be one of open, closed, all, got "done".');
    await expect400(await api.request('GET', '/api/paper/orders?direction=up'), 'validation_failed', '"direction" must be one of asc, desc, got "up".');
    await expect400(
      await api.request('GET', '/api/paper/orders?after=f-3'),
      'validation_failed',
      '"after" must be an id such as o-12, a time in Unix ms, or an ISO 8601 time such as 2026-12-01T14:30:00Z, got "f-3".',
    );
    await expect400(
      await api.request('GET', '/api/paper/trades?until=yesterday'),
      'validation_failed',
      '"until" must be an id such as f-12, a time in Unix ms, or an ISO 8601 time such as 2026-12-01T14:30:00Z, got "yesterday".',
    );
  });

  it('answers 400 to a strategy body without a usable name', async () => {
    const put = (body: unknown) => api.request('PUT', '/api/paper/strategy', { body });
    await expect400(await put({}), 'validation_failed', '"name" is required: a strategy name such as "sma-crossover", or null to stop the strategy.');
    await expect400(await put({ name: 3 }), 'validation_failed', '"name" must be a strategy name such as "sma-crossover", or null to stop the strategy.');
    await expect400(await put({ name: 'sma-crossover', params: [1] }), 'validation_failed', '"params" must be a JSON object such as {"short_window": 10}.');
  });

  it('answers 400 to an order id that is not valid percent-encoding', async () => {
    await expect400(await api.request('DELETE', '/api/paper/orders/%E0%A4%A'), 'bad_request', 'The path segment "%E0%A4%A" is not valid percent-encoding.');
  });

  it('answers 413 to a body over the cap, declared or streamed, and places nothing', async () => {
    const big = JSON.stringify({ symbol: 'AAPL', qty: 1, side: 'buy', client_order_id: 'x'.repeat(2000) });
    const declared = await order(undefined, big);
    expect(declared.status).toBe(413);
    expect(expectErrorShape(declared)).toEqual({ code: 'body_too_large', message: 'The request body is larger than the 1024-byte limit; send a smaller JSON body.' });

    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(`${api.api.url}/api/paper/order`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(big.slice(i * 300, (i + 1) * 300));
      req.end(big.slice(2400));
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text).error.code).toBe('body_too_large');
    expect(api.rig.snapshot().orders).toEqual([]);
  });
});

describe('HTTP API error messages', () => {
  it('quote a huge client value cut short instead of echoing it whole', async () => {
    const reply = await order({ symbol: 'AAPL', qty: '9'.repeat(500) + 'x', side: 'buy' });
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toBe(`Qty "${'9'.repeat(40)}…" is not a number: give a decimal such as 10 or "0.5".`);
  });
});
