// The process the crash test kills: trades a replayed session on a durable account, placing
// order i (client id c-i) once the replay reaches event (i + 1) × every. It prints a line for
// each acknowledgement it received (ACK, FILL) and, at the start, what the account recovered.
// Usage: crash-child.ts DATA_DIR REPLAY_FILE ORDERS EVERY
import { createEngine } from '../../src/engine/index.ts';

const [dataDir, file, ordersText, everyText] = process.argv.slice(2) as [string, string, string, string];
const orders = Number(ordersText);
const every = Number(everyText);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

const engine = await createEngine({ account: 'crash', dataDir, market: { kind: 'replay', file }, startingCash: '1000000' });
engine.on('fill', (fill) => out(`FILL ${fill.id} ${fill.orderId}`));
await engine.start();
const recovered = engine.snapshot();
out(`RECOVERED ${JSON.stringify({ orders: recovered.orders.map((o) => [o.id, o.clientOrderId]), fills: recovered.fills.map((f) => f.id), position: engine.replay.position })}`);

const placed = new Set(recovered.orders.map((o) => o.clientOrderId));
for (let i = 0; i < orders; i++) {
  const at = (i + 1) * every;
  if (engine.replay.position < at) await engine.replay.step(at - engine.replay.position);
  const clientOrderId = `c-${i}`;
  if (placed.has(clientOrderId)) continue;
  const symbol = i % 3 === 0 ? 'MSFT' : 'AAPL';
  const now = engine.snapshot({ recent: 0 });
  const held = Number(now.portfolio.positions.find((p) => p.symbol === symbol)?.qty ?? 0);
  const side = i % 4 === 3 && held >= 50 ? 'sell' : 'buy';
  const limit = i % 5 === 1;
  const mark = Number(now.quotes.find((q) => q.symbol === symbol)?.bid ?? 100);
  const order = await engine.placeOrder({
    symbol,
    side,
    qty: 10 + (i % 7) * 10,
    type: limit ? 'limit' : 'market',
    ...(limit ? { limitPrice: (Math.round(mark * 0.999 * 100) / 100).toFixed(2), timeInForce: 'gtc' } : {}),
    clientOrderId,
  });
  out(`ACK ${clientOrderId} ${order.id} ${order.status}`);
  // Leaves the test time to kill it mid-session.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await engine.replay.runToEnd();
const final = engine.snapshot();
out(`DONE ${JSON.stringify({ portfolio: final.portfolio, orders: final.orders, fills: final.fills, metrics: final.metrics })}`);
await engine.close();
