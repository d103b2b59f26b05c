/** The engine's only source of time. Live code uses LiveClock; replay and tests use ManualClock. */
export interface Clock {
  /** Unix ms. */
  now(): number;
  /** Runs fn once at (or after) Unix ms time. */
  setTimer(at: number, fn: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}
