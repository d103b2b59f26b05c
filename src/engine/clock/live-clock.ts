import type { Clock, Timer } from './clock.ts';

export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(at: number, fn: () => void): Timer {
    const handle = setTimeout(fn, Math.max(0, at - Date.now()));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }
}
