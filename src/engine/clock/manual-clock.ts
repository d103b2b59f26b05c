import type { Clock, Timer } from './clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  canceled: boolean;
}

const before = (a: Pending, b: Pending): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Time moves only when told to; due timers fire in time order, ties in the order they were set. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  /** A binary min-heap by (at, seq): many day orders each hold a timer. */
  #heap: Pending[] = [];
  /** Canceled timers still in the heap: dropped all at once when they are half of it. */
  #canceled = 0;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): Timer {
    const pending: Pending = { at, seq: this.#seq++, fn, canceled: false };
    this.#push(pending);
    return { cancel: () => this.#cancel(pending) };
  }

  /**
   * A canceled timer lets go of its function at once (it may hold an order), and the heap is
   * rebuilt without the canceled ones when they are half of it: a backtest of a day cancels
   * thousands of day-order expiries that would otherwise wait for the close.
   */
  #cancel(pending: Pending): void {
    if (pending.canceled) return;
    pending.canceled = true;
    pending.fn = () => undefined;
    if (++this.#canceled < 64 || this.#canceled * 2 < this.#heap.length) return;
    const kept = this.#heap.filter((item) => !item.canceled);
    this.#heap = [];
    this.#canceled = 0;
    for (const item of kept) this.#push(item);
  }

  /** Moves time forward to `to` (never backwards), firing every timer due on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const next = this.#heap[0];
      if (!next || next.at > to) break;
      this.#pop();
      if (next.canceled) {
        this.#canceled--;
        continue;
      }
      if (next.at > this.#now) this.#now = next.at;
      next.fn();
    }
    if (to > this.#now) this.#now = to;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  #push(pending: Pending): void {
    const heap = this.#heap;
    let index = heap.push(pending) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let index = 0; ; ) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
