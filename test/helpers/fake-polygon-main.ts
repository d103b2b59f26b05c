// Standalone fake Polygon: `npm run fake-polygon` (PORT env, default 4010; key `demo`, developer plan).
// Streams simulated Q and T events for AAPL and MSFT every 200 ms to subscribers.
import { startFakePolygon } from './fake-polygon.ts';

const port = Number(process.env['PORT'] ?? 4010);
const fake = await startFakePolygon({ port, keys: { demo: 'developer' } });
console.log(`fake Polygon on ${fake.restUrl} (REST) and ${fake.wsUrl} (WebSocket); key: demo`);

const prices: Record<string, number> = { AAPL: 190, MSFT: 420 };
let seq = 1;
const timer = setInterval(() => {
  const t = Date.now();
  const events: object[] = [];
  for (const sym of Object.keys(prices)) {
    const last = Math.max(1, (prices[sym] ?? 100) * (1 + (Math.random() - 0.5) * 0.002));
    prices[sym] = last;
    const p = Math.round(last * 100) / 100;
    events.push({ ev: 'Q', sym, bx: 4, bp: Math.round((p - 0.01) * 100) / 100, bs: 1 + Math.floor(Math.random() * 5), ax: 7, ap: Math.round((p + 0.01) * 100) / 100, as: 1 + Math.floor(Math.random() * 5), c: 0, t, q: seq++, z: 3 });
    events.push({ ev: 'T', sym, i: String(seq), x: 4, p, s: 1 + Math.floor(Math.random() * 300), t, q: seq++, z: 3 });
  }
  fake.push('stocks', events);
}, 200);

const stop = (): void => {
  clearInterval(timer);
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
