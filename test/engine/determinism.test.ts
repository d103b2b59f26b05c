import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, OrderRequest } from '../../src/engine/index.ts';
import { bar, cryptoQuote, engineRig, forexQuote, MINUTE, quote, SECOND, T0, trade, type PolygonEvent, type RigOptions } from '../helpers/engine-rig.ts';

const closeUtc = Date.parse('2026-11-03T21:00:00Z');

const session: PolygonEvent[] = [
  quote('AAPL', T0, 100, 100.02, 5, 3),
  cryptoQuote('BTC-USD', T0 + SECOND, 65_000, 65_010, 0.5, 0.4),
  forexQuote('EUR/USD', T0 + 2 * SECOND, 1.05, 1.05002),
  bar('IWM', T0, 200, 200.5, 199.5, 200.1),
  quote('AAPL', T0 + MINUTE + SECOND, 100.5, 100.55, 4, 2),
  trade('AAPL', T0 + MINUTE + 2 * SECOND, 101),
  quote('AAPL', T0 + MINUTE + 3 * SECOND, 100.9, 101.02, 6, 6),
  cryptoQuote('BTC-USD', T0 + MINUTE + 4 * SECOND, 64_900, 64_905.5, 1, 1),
  bar('IWM', T0 + MINUTE, 200.1, 200.2, 198.9, 199.2, 40),
  quote('AAPL', closeUtc + SECOND, 99, 99.01, 5, 5),
  bar('IWM', closeUtc, 199.2, 199.4, 198, 198.5),
];

/** Steps the session, placing the same orders between the same events. */
async function run(options: RigOptions): Promise<EngineSnapshot> {
  const rig = await engineRig(session, { startingCash: '250000', ...options });
  const orders: Record<number, OrderRequest[]> = {
    4: [
      { symbol: 'AAPL', side: 'buy', qty: 500 },
      { symbol: 'AAPL', side: 'buy', qty: 100, type: 'stop', stopPrice: '100.80', timeInForce: 'ioc' },
      { symbol: 'X:BTCUSD', side: 'buy', qty: '0.75', type: 'limit', limitPrice: '65010', timeInForce: 'gtc' },
      { symbol: 'C:EURUSD', side: 'buy', qty: 10_000, type: 'limit', limitPrice: '1.04' },
      { symbol: 'IWM', side: 'buy', qty: 60, type: 'limit', limitPrice: '199.00' },
      { symbol: 'APPL', side: 'buy', qty: 1 },
    ],
    5: [{ symbol: 'AAPL', side: 'sell', qty: 200, type: 'limit', limitPrice: '101.00', timeInForce: 'gtc' }],
    7: [{ symbol: 'AAPL', side: 'sell', qty: 250, type: 'stop_limit', stopPrice: '99.50', limitPrice: '99.00' }],
    8: [
      { symbol: 'X:BTCUSD', side: 'sell', qty: '0.3', timeInForce: 'fok' },
      { symbol: 'AAPL', side: 'sell', qty: 50 },
      { symbol: 'C:EURUSD', side: 'buy', qty: 5_000, timeInForce: 'gtc' },
    ],
  };
  for (let index = 1; index <= session.length; index++) {
    await rig.step();
    for (const request of orders[index] ?? []) await rig.place(request);
  }
  return rig.snapshot();
}

describe('determinism', () => {
  const options: RigOptions = { fees: { kind: 'per_share', perShare: '0.005', minimum: '1.00' }, slippageBps: 3 };

  it('gives identical snapshots for the same replay and the same orders', async () => {
    const first = await run(options);
    const second = await run(options);
    expect(second).toEqual(first);
    // Not a vacuous comparison: the session exercises fills, partial fills, rejection and expiry.
    expect(first.fills.length).toBeGreaterThan(5);
    expect(new Set(first.orders.map((order) => order.status))).toEqual(new Set(['filled', 'accepted', 'canceled', 'expired', 'rejected']));
  });

  it('gives a different snapshot when a fill setting changes (the comparison can fail)', async () => {
    const baseline = await run(options);
    const slipped = await run({ ...options, slippageBps: 4 });
    expect(slipped.fills).not.toEqual(baseline.fills);
  });
});
