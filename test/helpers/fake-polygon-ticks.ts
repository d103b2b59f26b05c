// The fake Polygon's simulated stock stream: one frame of NBBO quotes and trades per call, and an
// AM bar for each minute that closed. Prints carry sale conditions the way the real SIP feed does
// (PROTOCOL.md §5.3 "c"; the recorded samples carry [14,41], [14,37,41] and [0,12]): a trade of
// fewer than 100 shares is an odd lot (37), some are intermarket sweeps (14, with 41), and every
// print outside the regular session is Form T (12). Odd lots are not protected against trading
// through the NBBO, so a few print well away from it, as they do in real data. Minute bars follow
// the consolidated rules, except that extended-hours prints count, as Polygon's minute bars do
// (polygon.io/knowledge-base/article/how-does-polygon-create-the-open-high-low-close-volume-aggregate-bars).
import { stockPrintEligibility } from '../../src/engine/market/trade-conditions.ts';

const MINUTE = 60_000;
const ODD_LOT = 37;
const FORM_T = 12;

interface Minute {
  start: number;
  o?: number;
  h?: number;
  l?: number;
  c?: number;
  v: number;
}

export interface TickSource {
  /** The events of one frame at time t (ms): a quote and a trade per symbol, plus a closed minute's bar. */
  frame(t: number): object[];
}

/** Session 'extended' makes every print Form T. `random` defaults to Math.random; tests pass a seeded one. */
export function simulatedStockTicks(prices: Record<string, number>, session: () => 'regular' | 'extended', random: () => number = Math.random): TickSource {
  const minutes = new Map<string, Minute>();
  let seq = 1;
  const cents = (value: number): number => Math.round(value * 100) / 100;
  return {
    frame(t) {
      const start = Math.floor(t / MINUTE) * MINUTE;
      const events: object[] = [];
      for (const sym of Object.keys(prices)) {
        const last = Math.max(1, (prices[sym] ?? 100) * (1 + (random() - 0.5) * 0.002));
        prices[sym] = last;
        const p = cents(last);
        const bp = cents(p - 0.01);
        const ap = cents(p + 0.01);
        events.push({ ev: 'Q', sym, bx: 4, bp, bs: 1 + Math.floor(random() * 5), ax: 7, ap, as: 1 + Math.floor(random() * 5), c: 0, t, q: seq++, z: 3 });

        const size = 1 + Math.floor(random() * 300);
        const codes: number[] = [];
        if (random() < 0.2) codes.push(14);
        if (size < 100) codes.push(ODD_LOT);
        if (codes.includes(14)) codes.push(41);
        if (session() === 'extended') codes.unshift(FORM_T);
        // One odd lot in ten prints a dollar (or 1%) away from the quote.
        const away = size < 100 && random() < 0.1 ? Math.max(1, p * 0.01) * (random() < 0.5 ? -1 : 1) : 0;
        const price = cents(Math.max(0.01, p + away));
        events.push({ ev: 'T', sym, i: String(seq), x: 4, p: price, s: size, ...(codes.length > 0 ? { c: codes } : {}), t, q: seq++, z: 3 });

        let bar = minutes.get(sym);
        if (bar && bar.start !== start) {
          // The minute closed: its AM bar, as Polygon sends it just after the minute (none without eligible prints).
          if (bar.o !== undefined) {
            events.push({ ev: 'AM', sym, v: bar.v, av: bar.v, op: bar.o, vw: bar.c, o: bar.o, c: bar.c, h: bar.h, l: bar.l, a: bar.c, z: 100, s: bar.start, e: bar.start + MINUTE });
          }
          bar = undefined;
        }
        if (!bar) minutes.set(sym, (bar = { start, v: 0 }));
        addToMinute(bar, price, size, codes);
      }
      return events;
    },
  };
}

function addToMinute(bar: Minute, price: number, size: number, codes: readonly number[]): void {
  const rules = stockPrintEligibility(codes.filter((code) => code !== FORM_T && code !== 13));
  if (rules.volume) bar.v += size;
  if (rules.highLow) {
    bar.h = Math.max(bar.h ?? price, price);
    bar.l = Math.min(bar.l ?? price, price);
  }
  if (rules.last) {
    bar.o ??= price;
    bar.c = price;
    bar.h = Math.max(bar.h ?? price, price);
    bar.l = Math.min(bar.l ?? price, price);
  }
}
