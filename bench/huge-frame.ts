// One WebSocket frame of 400,000 events (a burst after a stall, or a broken server) handled whole
// stalled everything else for seconds. The stream now handles EVENTS_PER_TURN events per turn of the
// event loop; this measures, through the whole engine (parser, cache, executor, the 'quote' listener
// the UI uses), the longest stall a 1 ms timer sees while such a frame is handled, both ways in the
// same run, and the time to handle the whole frame.
import { performance } from 'node:perf_hooks';
import { createEngine } from '../src/engine/index.ts';
import { EVENTS_PER_TURN } from '../src/engine/market/polygon-stream.ts';
import { FULL_PLAN, startFakePolygon } from '../test/helpers/fake-polygon.ts';

export const HUGE_FRAME_EVENTS = 400_000;

export interface HugeFrameRun {
  perTurn: number;
  /** The longest gap between two ticks of a 1 ms timer while the frame's events are handled (after its JSON.parse). */
  maxStallMs: number;
  /** From sending the frame to its first event handled: the socket and the frame's JSON.parse, which no slicing can split. */
  parseMs: number;
  /** From sending the frame to its last event handled. */
  totalMs: number;
}

export async function hugeFrameBenchmark(): Promise<HugeFrameRun[]> {
  const fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
  // Built once, before timing: the frame as the server sends it.
  const frame = JSON.stringify(
    Array.from({ length: HUGE_FRAME_EVENTS }, (_, i) => ({ ev: 'T', sym: 'AAPL', i: String(i), x: 4, p: 190 + (i % 100) / 100, s: 100, t: Date.now(), q: i, z: 3 })),
  );
  const runs: HugeFrameRun[] = [];
  try {
    for (const perTurn of [EVENTS_PER_TURN, HUGE_FRAME_EVENTS]) runs.push(await run(fake, frame, perTurn));
  } finally {
    await fake.close();
  }
  return runs;
}

async function run(fake: Awaited<ReturnType<typeof startFakePolygon>>, frame: string, perTurn: number): Promise<HugeFrameRun> {
  let handled = 0;
  let firstAt = 0;
  const engine = await createEngine({
    symbols: ['AAPL'],
    market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl, eventsPerTurn: perTurn },
  });
  engine.on('quote', () => {
    if (handled++ === 0) firstAt = performance.now();
  });
  await engine.start();
  while (engine.snapshot().market.state !== 'live') await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 100)); // the subscription is acknowledged
  handled = 0; // the snapshot's seed
  let last = 0;
  let maxStallMs = 0;
  // Gaps count from the first event handled: before it, the frame is still being received and parsed.
  const ticker = setInterval(() => {
    const now = performance.now();
    if (handled === 0) return;
    maxStallMs = Math.max(maxStallMs, now - Math.max(last, firstAt));
    last = now;
  }, 1);
  const started = performance.now();
  fake.sendRaw('stocks', frame);
  while (handled < HUGE_FRAME_EVENTS) await new Promise((resolve) => setTimeout(resolve, 1));
  const finished = performance.now();
  // A frame handled in one go never lets the timer tick: its stall is all of it.
  maxStallMs = Math.max(maxStallMs, last === 0 ? finished - firstAt : 0);
  clearInterval(ticker);
  await engine.stop();
  return { perTurn, maxStallMs, parseMs: firstAt - started, totalMs: finished - started };
}
