// How soon the screen shows what happened: prices at the market-data interval (--refresh), the
// trader's own orders, fills and log lines within the activity interval, a strategy's with the prices.
import { afterEach, describe, expect, it } from 'vitest';
import { UiStore } from '../../src/ui/store.ts';
import { engineRig, quote, SECOND, T0, type EngineRig } from '../helpers/engine-rig.ts';

let rig: EngineRig | undefined;
let store: UiStore | undefined;
afterEach(async () => {
  store?.dispose();
  await rig?.engine.stop();
});

/** A store whose timers are recorded (their delays) instead of run. */
function recordingStore(engine: EngineRig['engine']): { delays: number[]; store: UiStore } {
  const delays: number[] = [];
  const made = new UiStore(engine, { intervalMs: 1000, activityMs: 250, schedule: (_fn, ms) => (delays.push(ms), () => undefined) });
  return { delays, store: made };
}

describe('the UI store', () => {
  it('rebuilds for prices after the market-data interval, and sooner for the trader’s own order', async () => {
    rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02)]);
    const recording = recordingStore(rig.engine);
    store = recording.store;
    await rig.step();
    expect(recording.delays).toEqual([1000]);
    // A price rebuild is pending: the trader's order brings it forward.
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'market' });
    expect(recording.delays.slice(1)).toContain(250);
    expect(recording.delays.every((ms) => ms === 1000 || ms === 250)).toBe(true);
  });

  it('a strategy’s fills wait for the prices’ rebuild', async () => {
    rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    const recording = recordingStore(rig.engine);
    store = recording.store;
    rig.engine.submitOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '99' }, 'strategy:sma-crossover');
    expect(recording.delays).toEqual([1000]);
    store.note('info', 'a line the screen adds');
    expect(recording.delays).toEqual([1000, 250]);
  });
});
