import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../src/engine/index.ts';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, expectErrorShape, type ApiRig, type HttpReply } from './api-rig.ts';

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02)], { rateLimit: false });
  await api.rig.step();
});
afterAll(() => api.close());

/** What a refused body must leave as it was. */
const books = (snapshot: EngineSnapshot) => ({ portfolio: snapshot.portfolio, fills: snapshot.fills, working: snapshot.orders.filter((o) => ['new', 'accepted', 'partially_filled'].includes(o.status)) });

function expectNoServerError(reply: HttpReply): void {
  expect(reply.status, reply.text).toBeLessThan(500);
  if (reply.status >= 400) expectErrorShape(reply);
}

const junk = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constantFrom(-1, 0, 1e308, 1e-9, Number.MAX_SAFE_INTEGER + 2, '', ' ', '1e3', '0x10', 'NaN', '-0', '1.', '.5', '１０'));
const decimalish = fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.stringMatching(/^-?\d{0,6}(\.\d{0,10})?$/), junk);
const nearValidOrder = fc.record(
  {
    symbol: fc.oneof(fc.constantFrom('AAPL', 'aapl', 'MSFT', 'ZZZZ', 'X:BTCUSD', 'AAPL ', ''), fc.string(), junk),
    qty: decimalish,
    side: fc.oneof(fc.constantFrom('buy', 'sell', 'BUY', 'short'), junk),
    order_type: fc.oneof(fc.constantFrom('market', 'limit', 'stop', 'stop_limit', 'stop-limit'), junk),
    limit_price: decimalish,
    stop_price: decimalish,
    time_in_force: fc.oneof(fc.constantFrom('day', 'gtc', 'ioc', 'fok', 'GTC'), junk),
    client_order_id: fc.oneof(fc.string(), junk),
  },
  { requiredKeys: [] },
);

describe('HTTP API under fuzzed bodies', () => {
  it('answers arbitrary JSON order bodies with 201, 400 or 422, never a 500, and refused bodies leave the books alone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), nearValidOrder, fc.dictionary(fc.string(), fc.jsonValue())), async (body) => {
        const before = api.rig.snapshot();
        const reply = await api.request('POST', '/api/paper/order', { rawBody: JSON.stringify(body) ?? 'null' });
        expectNoServerError(reply);
        expect([201, 400, 422]).toContain(reply.status);
        const after = api.rig.snapshot();
        if (reply.status === 400) expect(after).toEqual(before);
        if (reply.status === 422) {
          expect(books(after)).toEqual(books(before));
          const named = after.orders.find((o) => o.id === reply.json.error.order_id);
          // A taken client_order_id names the order that has it; any other refusal names the rejected order.
          if (reply.json.error.code === 'client_order_id_in_use') expect(named?.clientOrderId).toBe(JSON.parse(JSON.stringify(body)).client_order_id);
          else expect(named?.status).toBe('rejected');
        }
        if (reply.status === 201) {
          // Keep buying power from running out, so later near-valid orders still reach the engine.
          api.rig.engine.cancelAllOrders();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('answers arbitrary text bodies with an error shape, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const before = books(api.rig.snapshot());
        const reply = await api.request('POST', '/api/paper/order', { rawBody: text });
        expectNoServerError(reply);
        if (reply.status !== 201 && reply.status !== 422) expect(books(api.rig.snapshot())).toEqual(before);
        if (reply.status === 201) api.rig.engine.cancelAllOrders();
      }),
      { numRuns: 200 },
    );
  });

  it('answers arbitrary strategy bodies and order ids without a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.jsonValue(), fc.record({ name: fc.oneof(fc.constantFrom('sma-crossover', 'buy-and-hold', 'rsi-reversion', null), fc.string(), junk), params: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), junk) }, { requiredKeys: [] })),
        fc.string(),
        async (body, id) => {
          const strategy = await api.request('PUT', '/api/paper/strategy', { rawBody: JSON.stringify(body) ?? 'null' });
          expectNoServerError(strategy);
          expect([200, 400, 422]).toContain(strategy.status);
          const cancel = await api.request('DELETE', `/api/paper/orders/${encodeURIComponent(id)}`);
          expectNoServerError(cancel);
        },
      ),
      { numRuns: 200 },
    );
    await api.request('PUT', '/api/paper/strategy', { body: { name: null } });
  });
});
