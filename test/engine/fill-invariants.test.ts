// Random sessions of quotes, trades and orders: whatever happens, fills obey the rules of the
// paper executor, fees follow the per-order minimum, and the books balance. The same session
// always gives the same snapshot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, OrderRequest } from '../../src/engine/index.ts';
import { parseDecimal } from '../../src/engine/money.ts';
import { engineRig, quote, T0, trade, type PolygonEvent } from '../helpers/engine-rig.ts';

const MAX_QUOTE_AGE_MS = 10_000;

interface QuoteStep { kind: 'quote'; gap: number; bid: number; spread: number; bidLots: number; askLots: number }
interface TradeStep { kind: 'trade'; gap: number; price: number; size: number }
type Step = (QuoteStep | TradeStep) & { orders: OrderRequest[] };

const cents = fc.integer({ min: 9_900, max: 10_100 });
const price = cents.map((value) => (value / 100).toFixed(2));
const gap = fc.integer({ min: 1, max: 12_000 }); // sometimes long enough to leave the quote stale
const order: fc.Arbitrary<OrderRequest> = fc
  .record({
    side: fc.constantFrom('buy', 'buy', 'sell'), // sells need something bought first
    type: fc.constantFrom('market', 'limit', 'stop', 'stop_limit'),
    timeInForce: fc.constantFrom('day', 'gtc', 'ioc', 'fok'),
    qty: fc.integer({ min: 1, max: 600 }),
    limit: price,
    stop: price,
  })
  .map(({ side, type, timeInForce, qty, limit, stop }) => ({
    symbol: 'AAPL',
    side,
    type,
    timeInForce,
    qty,
    ...(type === 'limit' || type === 'stop_limit' ? { limitPrice: limit } : {}),
    ...(type === 'stop' || type === 'stop_limit' ? { stopPrice: stop } : {}),
  }));
const orders = fc.array(order, { maxLength: 2 });
const quoteStep = fc.record({
  kind: fc.constant('quote' as const),
  gap,
  bid: cents,
  spread: fc.integer({ min: 1, max: 10 }),
  bidLots: fc.integer({ min: 0, max: 4 }),
  askLots: fc.integer({ min: 0, max: 4 }),
  orders,
});
const tradeStep = fc.record({ kind: fc.constant('trade' as const), gap, price: cents, size: fc.integer({ min: 1, max: 500 }), orders });
// The first event is a quote, so AAPL is a quoted symbol throughout: trades never fill, they only trigger stops.
const session = fc.tuple(quoteStep, fc.array(fc.oneof(quoteStep, tradeStep), { minLength: 1, maxLength: 25 })).map(([first, rest]) => [first, ...rest]);

interface Played {
  snapshot: EngineSnapshot;
  quotes: { time: number; bid: bigint; ask: bigint; bidSize: bigint; askSize: bigint }[];
}

async function play(steps: Step[]): Promise<Played> {
  let time = T0;
  const events: PolygonEvent[] = [];
  const quotes: Played['quotes'] = [];
  for (const step of steps) {
    time += step.gap;
    if (step.kind === 'quote') {
      const bid = step.bid / 100;
      const ask = (step.bid + step.spread) / 100;
      events.push(quote('AAPL', time, bid, ask, step.bidLots, step.askLots));
      quotes.push({
        time,
        bid: BigInt(step.bid) * 10_000n, // cents → micros
        ask: BigInt(step.bid + step.spread) * 10_000n,
        bidSize: BigInt(step.bidLots * 100) * 10n ** 9n, // round lots → nano-shares
        askSize: BigInt(step.askLots * 100) * 10n ** 9n,
      });
    } else {
      events.push(trade('AAPL', time, step.price / 100, step.size));
    }
  }
  const rig = await engineRig(events, { startingCash: '250000', fees: { kind: 'per_share', perShare: '0.005', minimum: '1.00' } });
  for (const step of steps) {
    await rig.step();
    for (const request of step.orders) await rig.place(request);
  }
  return { snapshot: rig.snapshot(), quotes };
}

const units = (text: string, decimals: number): bigint => {
  const parsed = parseDecimal(text, decimals);
  if (!parsed.ok) throw new Error(`not a decimal: ${text}`);
  return parsed.value;
};

function checkRules({ snapshot, quotes }: Played): void {
  const byId = new Map(snapshot.orders.map((o) => [o.id, o]));
  const taken = new Map<string, bigint>();
  const filledByOrder = new Map<string, bigint>();

  for (const fill of snapshot.fills) {
    const o = byId.get(fill.orderId)!;
    // Quotes arrive in time order, so the one a fill traded against is the latest at its time.
    const current = quotes.filter((q) => q.time <= fill.time).at(-1)!;
    expect(fill.time - current.time, `fill ${fill.id} used a stale quote`).toBeLessThanOrEqual(MAX_QUOTE_AGE_MS);
    const fillPrice = units(fill.price, 6);
    const buy = fill.side === 'buy';
    const quoted = buy ? current.ask : current.bid;
    if (o.type === 'market' || o.type === 'stop') {
      expect(fillPrice, `${fill.id}: a market-style ${fill.side} fills at the ${buy ? 'ask' : 'bid'}`).toBe(quoted);
    } else {
      const limit = units(o.limitPrice!, 6);
      expect([quoted, limit], `${fill.id}: a limit fills at the quote or at its limit`).toContain(fillPrice);
      expect(buy ? fillPrice <= limit : fillPrice >= limit, `${fill.id}: never worse than the limit`).toBe(true);
    }
    if (o.type === 'stop' || o.type === 'stop_limit') expect(o.triggered).toBe(true);
    const key = `${current.time} ${fill.side}`;
    taken.set(key, (taken.get(key) ?? 0n) + units(fill.qty, 9));
    expect(taken.get(key)! <= (buy ? current.askSize : current.bidSize), `${key}: more than the quote showed`).toBe(true);
    filledByOrder.set(o.id, (filledByOrder.get(o.id) ?? 0n) + units(fill.qty, 9));
    expect(units(fill.notional, 2)).toBe((fillPrice * units(fill.qty, 9) + 5n * 10n ** 12n) / 10n ** 13n); // positive: half up = half away
  }

  for (const o of snapshot.orders) {
    const filled = units(o.filledQty, 9);
    expect(filled, `${o.id}: its fills add up to its filled qty`).toBe(filledByOrder.get(o.id) ?? 0n);
    expect(filled <= units(o.qty, 9)).toBe(true);
    expect(o.status === 'filled', `${o.id} is ${o.status} with ${o.filledQty} of ${o.qty}`).toBe(o.qty === o.filledQty && o.status !== 'rejected');
    const finished = ['canceled', 'expired', 'rejected'].includes(o.status);
    expect(o.reason !== null, `${o.id} ${o.status}: a reason exactly when it ended unfilled`).toBe(finished);
    if (o.status === 'partially_filled') expect(filled > 0n).toBe(true);
    if ((o.timeInForce === 'ioc' || o.timeInForce === 'fok') && !o.triggered && (o.type === 'stop' || o.type === 'stop_limit')) {
      expect(['accepted', 'rejected', 'canceled']).toContain(o.status);
    } else if (o.timeInForce === 'ioc' || o.timeInForce === 'fok') {
      expect(['filled', 'canceled', 'rejected'], `${o.id}: ${o.timeInForce} never rests`).toContain(o.status);
    }
    if (o.timeInForce === 'fok' && o.status === 'canceled') expect(o.filledQty).toBe('0');
    // $0.005 a share, at least $1.00 an order, charged once over all its fills (half a cent a share, rounded half up).
    const perShare = (filled * 5_000n + 5n * 10n ** 12n) / 10n ** 13n;
    const fee = filled === 0n ? 0n : perShare > 100n ? perShare : 100n;
    expect(units(o.fees, 2), `${o.id}: fees of ${o.filledQty} shares`).toBe(fee);
  }

  const { portfolio } = snapshot;
  const cash = units(portfolio.cash, 2);
  const basis = portfolio.positions.reduce((sum, p) => sum + units(p.costBasis, 2), 0n);
  expect(cash >= 0n, 'a cash account never goes below zero').toBe(true);
  expect(cash + basis).toBe(units(portfolio.startingCash, 2) + units(portfolio.realizedPnl, 2) - units(portfolio.fees, 2));
  for (const position of portfolio.positions) expect(units(position.qty, 9) > 0n, 'no short positions').toBe(true);
}

describe('fill rules hold in random sessions', () => {
  it('fills only at fresh quotes, within the size shown, at the right price; the books balance; replays repeat', async () => {
    await fc.assert(
      fc.asyncProperty(session, async (steps) => {
        const played = await play(steps);
        checkRules(played);
        expect((await play(steps)).snapshot).toEqual(played.snapshot);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
