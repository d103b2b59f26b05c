import type { Engine } from '../engine/index.ts';

/** Longest sleep between checks, so stop() and a slow start are noticed quickly. */
const MAX_WAIT_MS = 250;
/** Events delivered per step call when many are due at once (a burst, or a high speed). */
const BATCH = 500;

export interface ReplayPacer {
  /** Resolves when the recording has played to its end, or the pacer was stopped. */
  readonly finished: Promise<void>;
  stop(): void;
}

/**
 * Plays a replayed session at `speed` times its recorded pace, so a trader can watch it and trade
 * along in the full-screen UI. Each event is delivered when the wall clock reaches its market
 * time, scaled; one delivered late (older than the one before) is due at once, as live.
 * The wall clock lives here, in the CLI: the engine still only sees market time.
 */
export function paceReplay(engine: Engine, speed: number, now: () => number = Date.now): ReplayPacer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const firstTime = engine.replay.nextTime;
  const startedAt = now();
  const dueAt = (marketTime: number): number => startedAt + (marketTime - (firstTime ?? marketTime)) / speed;

  const finished = (async () => {
    while (!stopped && !engine.replay.done) {
      let due = 0;
      for (let next = engine.replay.nextTime; !stopped && next !== undefined && dueAt(next) <= now() && due < BATCH; next = engine.replay.nextTime) {
        // Stepping refuses once the engine stopped (quit, a failed save): the recording ends there.
        if ((await engine.replay.step(1).catch(() => 0)) === 0) return;
        due++;
      }
      if (due > 0) {
        // Keys and frames get their turn between batches.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const next = engine.replay.nextTime;
      const wait = next === undefined ? MAX_WAIT_MS : Math.min(MAX_WAIT_MS, Math.max(1, dueAt(next) - now()));
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, wait);
      });
    }
  })();

  return {
    finished,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
