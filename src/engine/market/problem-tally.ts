import type { Clock, Timer } from '../clock/clock.ts';

/**
 * Says a recurring problem once, then counts it: 500 bad frames make one line and, while they keep
 * coming, one "N more" line per period, instead of 500 lines that push everything else away.
 */
export class ProblemTally {
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #say: (message: string) => void;
  /** Problems said this period, by kind, and how many more of each came since. */
  readonly #counts = new Map<string, { what: string; more: number }>();
  #timer: Timer | undefined;

  constructor(clock: Clock, say: (message: string) => void, periodMs = 60_000) {
    this.#clock = clock;
    this.#say = say;
    this.#periodMs = periodMs;
  }

  /** `kind` groups alike problems ("bad frame"); `what` names them in the summary ("bad frames from Polygon stocks"). */
  report(kind: string, what: string, message: string): void {
    const seen = this.#counts.get(kind);
    if (seen) {
      seen.more++;
      return;
    }
    this.#counts.set(kind, { what, more: 0 });
    this.#say(message);
    this.#timer ??= this.#clock.setTimer(this.#clock.now() + this.#periodMs, () => this.#summarise());
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#counts.clear();
  }

  #summarise(): void {
    this.#timer = undefined;
    const minutes = Math.round(this.#periodMs / 60_000);
    const period = minutes === 1 ? 'minute' : minutes > 1 ? `${minutes} minutes` : `${Math.round(this.#periodMs / 1000)} s`;
    let repeating = false;
    for (const [kind, { what, more }] of this.#counts) {
      if (more === 0) {
        // Quiet for a whole period: the next one is said again in full.
        this.#counts.delete(kind);
        continue;
      }
      this.#say(`${more} more ${what} in the last ${period}`);
      this.#counts.set(kind, { what, more: 0 });
      repeating = true;
    }
    if (repeating) this.#timer = this.#clock.setTimer(this.#clock.now() + this.#periodMs, () => this.#summarise());
  }
}
