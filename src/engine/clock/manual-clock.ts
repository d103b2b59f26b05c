import type { Clock, Timer } from './clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  canceled: boolean;
}

/** Time moves only when told to; due timers fire in time order, ties in the order they were set. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): Timer {
    const pending: Pending = { at, seq: this.#seq++, fn, canceled: false };
    this.#pending.push(pending);
    this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return { cancel: () => void (pending.canceled = true) };
  }

  /** Moves time forward to `to` (never backwards), firing every timer due on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const next = this.#pending[0];
      if (!next || next.at > to) break;
      this.#pending.shift();
      if (next.canceled) continue;
      if (next.at > this.#now) this.#now = next.at;
      next.fn();
    }
    if (to > this.#now) this.#now = to;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }
}
