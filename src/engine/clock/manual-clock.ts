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
  readonly #heap: Pending[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): Timer {
    const pending: Pending = { at, seq: this.#seq++, fn, canceled: false };
    this.#push(pending);
    return { cancel: () => void (pending.canceled = true) };
  }

  /** Moves time forward to `to` (never backwards), firing every timer due on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const next = this.#heap[0];
      if (!next || next.at > to) break;
      this.#pop();
      if (next.canceled) continue;
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
