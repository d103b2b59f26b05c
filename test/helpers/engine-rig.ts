// An Engine driven by hand: Polygon WebSocket events go into a JSONL replay file, the test steps
// them one at a time and places orders in between, then reads the snapshot's exact strings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineOptions, type EngineSnapshot, type FillView, type OrderRequest, type OrderView } from '../../src/engine/index.ts';

/** One Polygon WebSocket event, as a line of a replay file. */
export type PolygonEvent = Record<string, unknown>;

/** Tuesday 3 November 2026, 10:00 in New York (15:00 UTC; daylight saving time ended on 1 November). */
export const T0 = Date.parse('2026-11-03T15:00:00Z');
export const SECOND = 1_000;
export const MINUTE = 60_000;

/** A stock quote; sizes are round lots of 100 shares, as Polygon sends them. */
export const quote = (sym: string, t: number, bid: number, ask: number, bidLots = 5, askLots = 5): PolygonEvent =>
  ({ ev: 'Q', sym, bp: bid, bs: bidLots, ap: ask, as: askLots, t });

/** A stock trade; size is in shares; `c` the sale conditions (none: a regular sale). */
export const trade = (sym: string, t: number, price: number, size = 100, c?: number[]): PolygonEvent =>
  c === undefined ? { ev: 'T', sym, p: price, s: size, t } : { ev: 'T', sym, p: price, s: size, t, c };

/** A one-minute stock bar starting at `start`, delivered when it closes. */
export const bar = (sym: string, start: number, o: number, h: number, l: number, c: number, v = 10_000): PolygonEvent =>
  ({ ev: 'AM', sym, o, h, l, c, v, s: start, e: start + MINUTE });

/** A crypto quote: pair like "BTC-USD", sizes in coins. */
export const cryptoQuote = (pair: string, t: number, bid: number, ask: number, bidSize = 1, askSize = 1): PolygonEvent =>
  ({ ev: 'XQ', pair, bp: bid, bs: bidSize, ap: ask, as: askSize, t });

/** A forex quote: pair like "EUR/USD" (Polygon sends no sizes). */
export const forexQuote = (pair: string, t: number, bid: number, ask: number): PolygonEvent => ({ ev: 'C', p: pair, b: bid, a: ask, t });

export interface EngineRig {
  readonly engine: Engine;
  /** Delivers the next n events (default 1); fails if the replay has fewer left. */
  step(n?: number): Promise<void>;
  place(request: OrderRequest): Promise<OrderView>;
  snapshot(): EngineSnapshot;
  /** The order as the snapshot shows it now. */
  order(id: string): OrderView;
  fills(orderId?: string): FillView[];
  /** Fills as one line each: "o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.00". */
  fillLines(): string[];
}

export type RigOptions = Omit<EngineOptions, 'market'>;

const rigDirs = new Set<string>();

export async function engineRig(events: readonly PolygonEvent[], options: RigOptions = {}): Promise<EngineRig> {
  const dir = mkdtempSync(join(tmpdir(), 'paper-trader-rig-'));
  // The replay is read as it plays: its file goes when the test process ends.
  if (rigDirs.size === 0) process.once('exit', () => rigDirs.forEach((kept) => rmSync(kept, { recursive: true, force: true })));
  rigDirs.add(dir);
  const file = join(dir, 'session.jsonl');
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  const engine = await createEngine({ startingCash: '100000', ...options, market: { kind: 'replay', file } });
  await engine.start();

  const snapshot = (): EngineSnapshot => engine.snapshot();
  const fills = (orderId?: string): FillView[] => snapshot().fills.filter((fill) => orderId === undefined || fill.orderId === orderId);
  return {
    engine,
    async step(n = 1) {
      const left = (engine.replay.total ?? 0) - engine.replay.position;
      if (left < n) throw new Error(`the replay has ${left} event(s) left, the test stepped ${n}`);
      await engine.replay.step(n);
    },
    place: (request) => engine.placeOrder(request),
    snapshot,
    order(id) {
      const found = snapshot().orders.find((order) => order.id === id);
      if (!found) throw new Error(`no order ${id} in the snapshot`);
      return found;
    },
    fills,
    fillLines: () => fills().map((f) => `${f.orderId} ${f.side} ${f.qty} ${f.symbol} @ ${f.price} = ${f.notional} fee ${f.fee}`),
  };
}
