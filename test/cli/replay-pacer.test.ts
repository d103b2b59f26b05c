// --speed: a replay played at its recorded pace, each event when the (scaled) wall clock reaches it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paceReplay } from '../../src/cli/replay-pacer.ts';
import { createEngine } from '../../src/engine/index.ts';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { until } from '../helpers/until.ts';

const dir = mkdtempSync(join(tmpdir(), 'paper-trader-pacer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replayEngine(events: object[]) {
  const file = join(dir, `session-${Math.random()}.jsonl`);
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
  const engine = await createEngine({ market: { kind: 'replay', file } });
  await engine.start();
  return engine;
}

describe('paceReplay', () => {
  it('delivers each event when the wall clock, scaled by the speed, reaches its time; a late one at once', async () => {
    const engine = await replayEngine([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + 10 * SECOND, 101, 101.02),
      quote('AAPL', T0 + 5 * SECOND, 99, 99.02), // delivered late: due as soon as the one before it
      quote('AAPL', T0 + 20 * SECOND, 102, 102.02),
    ]);
    let wall = 1_000_000;
    const pacer = paceReplay(engine, 2, () => wall);
    const delivered = () => engine.replay.position;
    await until(() => delivered() === 1, 2000);
    wall += 4_999; // 9.998 s of market time at 2x: the second quote is not due yet
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered()).toBe(1);
    wall += 1; // 10 s: the second, and the late third right after it
    await until(() => delivered() === 3, 2000);
    expect(engine.snapshot().time).toBe(T0 + 10 * SECOND);
    wall += 5_000;
    await pacer.finished;
    expect(engine.replay.done).toBe(true);
    expect(engine.snapshot().quotes[0]).toMatchObject({ bid: '102.00' });
    await engine.stop();
  });

  it('stops when told, delivering nothing more', async () => {
    const engine = await replayEngine([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + 60 * SECOND, 101, 101.02)]);
    const pacer = paceReplay(engine, 1);
    await until(() => engine.replay.position === 1, 2000);
    pacer.stop();
    await pacer.finished;
    expect(engine.replay.position).toBe(1);
    await engine.stop();
  });

  it('ends when the engine stops (the trader quit)', async () => {
    const engine = await replayEngine([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02)]);
    let wall = 0;
    const pacer = paceReplay(engine, 1, () => wall);
    await until(() => engine.replay.position === 1, 2000);
    await engine.stop();
    wall = 5_000;
    await pacer.finished;
    expect(engine.replay.position).toBe(1);
  });
});
