// The README's "How orders fill" is a contract: random one-symbol sessions (quoted, trades-only or
// bars-only) are replayed through the real engine and through readme-fill-model.ts, a reading of
// the README alone, and after every order, cancel and event the two must agree exactly on each
// order's status, filled qty, average price and trigger, on every fill, and on the position's mark.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, OrderRequest } from '../../src/engine/index.ts';
import { bar, engineRig, MINUTE, quote, SECOND, T0, trade, type PolygonEvent } from '../helpers/engine-rig.ts';
import {
  ALLOWED_CONDITIONS,
  averagePrice,
  BLOCKING_CONDITIONS,
  ReadmeFillModel,
  type ModelEvent,
  type ModelOrderRequest,
  type OrderType,
  type Side,
  type Tier,
} from './readme-fill-model.ts';

const SYMBOL = 'AAPL';
/** README_CONTRACT_RUNS=5000 for a deeper search. */
const NUM_RUNS = Number(process.env.README_CONTRACT_RUNS ?? 300);

// Stock prices in whole cents at $1 and above: micros for the model, numbers for the feed.
const MIN_CENTS = 100;
const micros = (cents: number): bigint => BigInt(cents) * 10_000n;
const dollars = (cents: number): number => cents / 100;

/** An exact decimal string of the snapshot ("100.005") as micros. */
function parseMicros(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

// ---- the session: raw choices, folded into events by a pure function so that shrinking works ----

/** forward: after the newest event (0: a tie); late: older than the newest; gap: about 10 s or more later. */
type Timing = { kind: 'forward' | 'late' | 'gap'; ms: number };
type QuoteShape = 'two-sided' | 'locked' | 'crossed' | 'bid-only' | 'ask-only';

interface RawEvent {
  timing: Timing;
  /** The random walk's move, in cents. */
  move: number;
  /** On a quoted symbol, a print instead of a quote. */
  isTrade: boolean;
  quote: { shape: QuoteShape; offset: number; spread: number; bidLots: number; askLots: number; omitMissingSide: boolean };
  trade: { offset: number; size: number; conditions: number[] | undefined };
  bar: { open: number; close: number; up: number; down: number; volume: number };
}

interface PlaceAction {
  kind: 'place';
  side: Side;
  type: OrderType;
  qty: number;
  limitOffset: number;
  stopOffset: number;
  limitFromStop: number;
  timeInForce: 'day' | 'gtc';
}
type RawAction = PlaceAction | { kind: 'cancel'; pick: number };

interface Session {
  tier: Tier;
  startCents: number;
  raw: RawEvent[];
  /** actions[i] run before event i; the last entry after the last event. */
  actions: RawAction[][];
}

/** Ages around maxQuoteAgeMs, where an event turns stale ("more than 10 s older"). */
const nearMaxAge = fc.constantFrom(10 * SECOND - 1, 10 * SECOND, 10 * SECOND + 1);
const timing: fc.Arbitrary<Timing> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 * SECOND }).map((ms): Timing => ({ kind: 'forward', ms })) },
  { weight: 1, arbitrary: fc.constant<Timing>({ kind: 'forward', ms: 0 }) },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: 1, max: 20 * SECOND }), nearMaxAge).map((ms): Timing => ({ kind: 'late', ms })) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 10 * SECOND + 1, max: 30 * SECOND }), nearMaxAge).map((ms): Timing => ({ kind: 'gap', ms })) },
);

/** Mostly regular sales; else the README's listed codes, an empty list, or a code no table knows. */
const conditions: fc.Arbitrary<number[] | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant<number[]>([]) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...ALLOWED_CONDITIONS, ...BLOCKING_CONDITIONS, 999), { minLength: 1, maxLength: 2 }) },
);

const lots = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) });

const rawEvent: fc.Arbitrary<RawEvent> = fc.record({
  timing,
  move: fc.integer({ min: -6, max: 6 }),
  isTrade: fc.boolean(),
  quote: fc.record({
    shape: fc.constantFrom<QuoteShape>('two-sided', 'two-sided', 'two-sided', 'locked', 'crossed', 'bid-only', 'ask-only'),
    offset: fc.integer({ min: 0, max: 3 }),
    spread: fc.integer({ min: 1, max: 4 }),
    bidLots: lots,
    askLots: lots,
    omitMissingSide: fc.boolean(),
  }),
  trade: fc.record({ offset: fc.integer({ min: -3, max: 3 }), size: fc.integer({ min: 1, max: 400 }), conditions }),
  bar: fc.record({
    open: fc.integer({ min: -6, max: 6 }),
    close: fc.integer({ min: -6, max: 6 }),
    up: fc.integer({ min: 0, max: 6 }),
    down: fc.integer({ min: 0, max: 6 }),
    volume: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: 1, max: 800 }) }),
  }),
});

const rawAction: fc.Arbitrary<RawAction> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      side: fc.constantFrom<Side>('buy', 'buy', 'sell'),
      type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stop_limit', 'trailing_stop'),
      qty: fc.integer({ min: 1, max: 600 }),
      limitOffset: fc.integer({ min: -12, max: 12 }),
      stopOffset: fc.integer({ min: -12, max: 12 }),
      limitFromStop: fc.integer({ min: -4, max: 8 }),
      timeInForce: fc.constantFrom<'day' | 'gtc'>('day', 'gtc'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

const actionsBetweenSteps = fc.oneof(
  { weight: 3, arbitrary: fc.constant<RawAction[]>([]) },
  { weight: 2, arbitrary: fc.array(rawAction, { minLength: 1, maxLength: 3 }) },
);

const session: fc.Arbitrary<Session> = fc
  .record({
    tier: fc.constantFrom<Tier>('quoted', 'trades', 'bars'),
    startCents: fc.integer({ min: 500, max: 30_000 }),
    raw: fc.array(rawEvent, { minLength: 1, maxLength: 30 }),
  })
  .chain((base) => fc.array(actionsBetweenSteps, { minLength: base.raw.length + 1, maxLength: base.raw.length + 1 }).map((actions) => ({ ...base, actions })));

interface Built {
  polygon: PolygonEvent;
  model: ModelEvent;
  /** Event time (a bar's is its end, as the engine's clock reads it). */
  time: number;
  /** The walk's price after this event: orders are priced around it. */
  refCents: number;
}

/** Folds the raw choices into Polygon events and their model twins; the first is at T0 (10:00 New York). */
function buildEvents(s: Session): Built[] {
  const built: Built[] = [];
  let cents = s.startCents;
  let newest = T0;
  let minute = 0;
  s.raw.forEach((r, index) => {
    cents = Math.max(MIN_CENTS + 20, cents + r.move);
    const priced = (offset: number) => Math.max(MIN_CENTS, cents + offset);

    if (s.tier === 'bars') {
      // Bars begin on whole minutes; a late one is a bar Polygon sends again (it does not begin after the last).
      if (index > 0) {
        if (r.timing.kind === 'late') minute = Math.max(0, minute - (r.timing.ms % 3));
        else minute += r.timing.kind === 'gap' ? 2 + (r.timing.ms % 4) : 1;
      }
      const start = T0 + minute * MINUTE;
      const open = priced(r.bar.open);
      const close = priced(r.bar.close);
      const high = Math.max(open, close) + r.bar.up;
      const low = Math.max(MIN_CENTS, Math.min(open, close) - r.bar.down);
      built.push({
        polygon: bar(SYMBOL, start, dollars(open), dollars(high), dollars(low), dollars(close), r.bar.volume),
        model: { kind: 'bar', start, end: start + MINUTE, open: micros(open), high: micros(high), low: micros(low), close: micros(close), volume: r.bar.volume },
        time: start + MINUTE,
        refCents: close,
      });
      return;
    }

    let t = T0;
    if (index > 0) {
      t = r.timing.kind === 'late' ? newest - r.timing.ms : newest + r.timing.ms;
      newest = Math.max(newest, t);
    }
    // A quoted symbol opens with a quote, so it trades on quotes from its first event.
    if (s.tier === 'trades' || (index > 0 && r.isTrade)) {
      const price = priced(r.trade.offset);
      built.push({
        polygon: trade(SYMBOL, t, dollars(price), r.trade.size, r.trade.conditions),
        model: { kind: 'trade', t, price: micros(price), size: r.trade.size, conditions: r.trade.conditions ?? [] },
        time: t,
        refCents: cents,
      });
      return;
    }

    const q = r.quote;
    let bid = priced(-q.offset);
    let ask = bid + q.spread;
    if (q.shape === 'locked') ask = bid;
    if (q.shape === 'crossed') {
      ask = Math.max(MIN_CENTS, bid - q.spread);
      if (ask === bid) bid += 1;
    }
    if (q.shape === 'bid-only') ask = 0;
    if (q.shape === 'ask-only') bid = 0;
    // A missing side goes out as 0, or with its fields left out.
    const polygon: PolygonEvent = quote(SYMBOL, t, dollars(bid), dollars(ask), q.bidLots, q.askLots);
    if (q.omitMissingSide && bid === 0) {
      delete polygon.bp;
      delete polygon.bs;
    }
    if (q.omitMissingSide && ask === 0) {
      delete polygon.ap;
      delete polygon.as;
    }
    built.push({
      polygon,
      model: { kind: 'quote', t, bid: micros(bid), ask: micros(ask), bidShares: bid === 0 ? 0 : q.bidLots * 100, askShares: ask === 0 ? 0 : q.askLots * 100 },
      time: t,
      refCents: cents,
    });
  });
  return built;
}

/** The order, priced around the market now; none for a sell when nothing may be sold. */
function resolveOrder(action: PlaceAction, refCents: number, sellable: number): { request: OrderRequest; model: ModelOrderRequest } | undefined {
  let qty = action.qty;
  if (action.side === 'sell') {
    if (sellable <= 0) return undefined;
    qty = 1 + ((action.qty - 1) % sellable);
  }
  const stop = Math.max(MIN_CENTS, refCents + action.stopOffset);
  const limit =
    action.type === 'stop_limit'
      ? Math.max(MIN_CENTS, action.side === 'buy' ? stop + action.limitFromStop : stop - action.limitFromStop)
      : Math.max(MIN_CENTS, refCents + action.limitOffset);
  const limitPrice = action.type === 'limit' || action.type === 'stop_limit' ? limit : undefined;
  const stopPrice = action.type === 'stop' || action.type === 'stop_limit' ? stop : undefined;
  const trailPrice = action.type === 'trailing_stop' ? Math.max(1, Math.abs(action.stopOffset)) : undefined;
  return {
    request: {
      symbol: SYMBOL,
      side: action.side,
      qty: String(qty),
      type: action.type,
      timeInForce: action.timeInForce,
      ...(limitPrice === undefined ? {} : { limitPrice: dollars(limitPrice).toFixed(2) }),
      ...(stopPrice === undefined ? {} : { stopPrice: dollars(stopPrice).toFixed(2) }),
      ...(trailPrice === undefined ? {} : { trailPrice: dollars(trailPrice).toFixed(2) }),
    },
    model: {
      side: action.side,
      type: action.type,
      qty,
      ...(limitPrice === undefined ? {} : { limitPrice: micros(limitPrice) }),
      ...(stopPrice === undefined ? {} : { stopPrice: micros(stopPrice) }),
      ...(trailPrice === undefined ? {} : { trailPrice: micros(trailPrice) }),
    },
  };
}

// ---- the comparison: one view of the engine's snapshot and of the model ----

interface View {
  /** stop: a trailing stop's stop as it stands (null for other orders, and before it has one). */
  orders: { id: string; status: string; filledQty: number; avgFillPrice: bigint | null; triggered: boolean; stop: bigint | null }[];
  fills: { orderId: string; qty: number; price: bigint }[];
  /** The position's lastPrice while there is a position. */
  mark: bigint | null;
}

function engineView(snapshot: EngineSnapshot): View {
  const position = snapshot.portfolio.positions.find((p) => p.symbol === SYMBOL);
  return {
    orders: snapshot.orders.map((o) => ({
      id: o.id,
      status: o.status,
      filledQty: Number(o.filledQty),
      avgFillPrice: o.avgFillPrice === null ? null : parseMicros(o.avgFillPrice),
      triggered: o.triggered,
      stop: o.type === 'trailing_stop' && o.stopPrice !== null ? parseMicros(o.stopPrice) : null,
    })),
    fills: snapshot.fills.map((f) => ({ orderId: f.orderId, qty: Number(f.qty), price: parseMicros(f.price) })),
    mark: position?.lastPrice ? parseMicros(position.lastPrice) : null,
  };
}

function modelView(model: ReadmeFillModel): View {
  return {
    orders: model.orders.map((o) => ({
      id: o.id,
      status: o.status,
      filledQty: o.filledQty,
      avgFillPrice: averagePrice(o),
      triggered: o.triggered,
      stop: o.type === 'trailing_stop' ? (o.stopPrice ?? null) : null,
    })),
    fills: model.fills.map((f) => ({ ...f })),
    mark: model.position > 0 ? (model.mark ?? null) : null,
  };
}

// ---- playing a session through the engine and the model side by side ----

/** What the engine side does. */
interface Venue {
  /** Places the order; returns its id. */
  place(request: OrderRequest): Promise<string>;
  cancel(id: string): void;
  step(): Promise<void>;
  /** Called after every action and every event. */
  check(): void;
}

/** Plays the session's events and actions on the model and the venue. */
async function play(s: Session, built: readonly Built[], model: ReadmeFillModel, venue: Venue, log: string[]): Promise<void> {
  for (let i = 0; i <= built.length; i++) {
    const refCents = i === 0 ? s.startCents : built[i - 1]!.refCents;
    for (const action of s.actions[i] ?? []) {
      if (action.kind === 'cancel') {
        const open = model.openOrders();
        if (open.length === 0) continue;
        const target = open[action.pick % open.length]!;
        venue.cancel(target.id);
        model.cancel(target.id);
        log.push(`cancel ${target.id}`);
      } else {
        const resolved = resolveOrder(action, refCents, model.sellable);
        if (!resolved) continue;
        const id = await venue.place(resolved.request);
        model.place(id, resolved.model);
        const { side, qty, type, limitPrice, stopPrice, trailPrice, timeInForce } = resolved.request;
        log.push(`place ${id} ${side} ${qty} ${type}${limitPrice ? ` limit ${limitPrice}` : ''}${stopPrice ? ` stop ${stopPrice}` : ''}${trailPrice ? ` trail ${trailPrice}` : ''} ${timeInForce}`);
      }
      venue.check();
    }
    const next = built[i];
    if (!next) break;
    log.push(`event T0${next.time >= T0 ? '+' : ''}${next.time - T0}ms ${JSON.stringify(next.polygon)}`);
    await venue.step();
    model.onEvent(next.model);
    venue.check();
  }
}

/** One session through the engine and the model, compared after every action and every event. */
async function engineMatchesModel(s: Session): Promise<void> {
  const built = buildEvents(s);
  const rig = await engineRig(
    built.map((b) => b.polygon),
    { startingCash: '1000000000000' }, // cash never limits a fill
  );
  // The replay clock starts at the first event's time, before it is delivered.
  const model = new ReadmeFillModel(s.tier, built[0]!.time);
  const log: string[] = [`${s.tier} symbol`];
  const venue: Venue = {
    place: async (request) => (await rig.place(request)).id,
    cancel: (id) => void rig.engine.cancelOrder(id),
    step: () => rig.step(),
    check: () => expect(engineView(rig.snapshot()), log.join('\n')).toEqual(modelView(model)),
  };
  try {
    venue.check();
    await play(s, built, model, venue, log);
  } finally {
    await rig.engine.stop();
  }
}

describe('the README fill contract, re-derived from its text alone', () => {
  it('fills, triggers and marks as readme-fill-model.ts reads the README, after every order and event', async () => {
    await fc.assert(fc.asyncProperty(session, engineMatchesModel), { numRuns: NUM_RUNS });
  });
});
