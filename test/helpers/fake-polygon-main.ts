// Standalone fake Polygon: `npm run fake-polygon` (PORT env, default 4010; key `demo`, developer
// plan; key `starter` streams stocks only on the delayed host). Streams simulated Q and T events
// every 200 ms and a minute bar (AM) per symbol each minute. The market reports open unless
// MARKET=closed (or extended-hours), so a trader can see orders wait for the open.
import { startFakePolygon } from './fake-polygon.ts';

const port = Number(process.env['PORT'] ?? 4010);
const fake = await startFakePolygon({ port, keys: { demo: 'developer', starter: 'starter' } });
fake.setMarketStatus({ market: process.env['MARKET'] ?? 'open' });
console.log(`fake Polygon on ${fake.restUrl} (REST) and ${fake.wsUrl} (WebSocket; delayed: ${fake.delayedWsUrl}); keys: demo, starter`);
console.log(
  `try: POLYGON_API_KEY=demo POLYGON_REST_URL=${fake.restUrl} POLYGON_WS_URL=${fake.wsUrl} POLYGON_WS_DELAYED_URL=${fake.delayedWsUrl} npm start -- --symbols AAPL MSFT`,
);

const MINUTE = 60_000;
const prices: Record<string, number> = { AAPL: 190, MSFT: 420 };
/** Each symbol's minute so far: open, high, low, close, volume. */
const minutes = new Map<string, { start: number; o: number; h: number; l: number; c: number; v: number }>();
let seq = 1;

const timer = setInterval(() => {
  const t = Date.now();
  const start = Math.floor(t / MINUTE) * MINUTE;
  const events: object[] = [];
  for (const sym of Object.keys(prices)) {
    const last = Math.max(1, (prices[sym] ?? 100) * (1 + (Math.random() - 0.5) * 0.002));
    prices[sym] = last;
    const p = Math.round(last * 100) / 100;
    const size = 1 + Math.floor(Math.random() * 300);
    events.push({ ev: 'Q', sym, bx: 4, bp: Math.round((p - 0.01) * 100) / 100, bs: 1 + Math.floor(Math.random() * 5), ax: 7, ap: Math.round((p + 0.01) * 100) / 100, as: 1 + Math.floor(Math.random() * 5), c: 0, t, q: seq++, z: 3 });
    events.push({ ev: 'T', sym, i: String(seq), x: 4, p, s: size, t, q: seq++, z: 3 });
    const bar = minutes.get(sym);
    if (bar && bar.start !== start) {
      // The minute closed: its AM bar, as Polygon sends it just after the minute.
      events.push({ ev: 'AM', sym, v: bar.v, av: bar.v, op: bar.o, vw: bar.c, o: bar.o, c: bar.c, h: bar.h, l: bar.l, a: bar.c, z: 100, s: bar.start, e: bar.start + MINUTE });
    }
    if (!bar || bar.start !== start) minutes.set(sym, { start, o: p, h: p, l: p, c: p, v: size });
    else Object.assign(bar, { h: Math.max(bar.h, p), l: Math.min(bar.l, p), c: p, v: bar.v + size });
  }
  fake.push('stocks', events);
}, 200);

const stop = (): void => {
  clearInterval(timer);
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
