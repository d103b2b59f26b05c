// Standalone fake Polygon: `npm run fake-polygon` (PORT env, default 4010; key `demo`, developer
// plan; key `starter` streams stocks only on the delayed host). Streams simulated Q and T events
// every 200 ms, the trades with sale conditions (odd lots, sweeps, Form T outside the session), and
// a minute bar (AM) per symbol each minute. The market reports open unless
// MARKET=closed (or extended-hours), so a trader can see orders wait for the open. REFERENCE=file.json
// adds splits and dividends to the reference data: {"splits": [...], "dividends": [...]}, rows as
// Polygon's (execution_date, split_from, split_to, ticker, id; ex_dividend_date, pay_date, cash_amount…).
// It keeps minute bars, trades and quotes for any past day of the tickers it knows, for paper-trader
// backtest and sweep (trades from the developer key up, quotes with demo and stocks).
import { readFileSync } from 'node:fs';
import { FULL_PLAN, startFakePolygon } from './fake-polygon.ts';
import { simulatedStockTicks } from './fake-polygon-ticks.ts';

const port = Number(process.env['PORT'] ?? 4010);
const market = process.env['MARKET'] ?? 'open';
const fake = await startFakePolygon({ port, keys: { demo: FULL_PLAN, starter: 'starter', developer: 'developer', free: 'free', stocks: 'advanced' }, history: true });
fake.setMarketStatus({ market });
if (process.env['REFERENCE']) {
  const added = JSON.parse(readFileSync(process.env['REFERENCE'], 'utf8')) as { splits?: object[]; dividends?: object[] };
  fake.addReference('splits', added.splits ?? []);
  fake.addReference('dividends', added.dividends ?? []);
}
console.log(`fake Polygon on ${fake.restUrl} (REST) and ${fake.wsUrl} (WebSocket; delayed: ${fake.delayedWsUrl}); keys: demo (advanced + currencies), stocks (advanced, no currencies), developer and starter (delayed), free (no WebSocket, 5 requests a minute)`);
console.log(
  `try: POLYGON_API_KEY=demo POLYGON_REST_URL=${fake.restUrl} POLYGON_WS_URL=${fake.wsUrl} POLYGON_WS_DELAYED_URL=${fake.delayedWsUrl} npm start -- --symbols AAPL MSFT`,
);

// Outside the regular session every print is Form T, as on the real SIP feed.
const ticks = simulatedStockTicks({ AAPL: 190, MSFT: 420 }, () => (market === 'open' ? 'regular' : 'extended'));
const timer = setInterval(() => fake.push('stocks', ticks.frame(Date.now())), 200);

const stop = (): void => {
  clearInterval(timer);
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
