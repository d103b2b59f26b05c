// One budget of REST requests per minute for everything that calls Polygon in a process (warm-up,
// market status, seeding, polling, the user's commands), so the plan's rate is kept on this side
// instead of found out from 429s. Polygon's free plan allows 5 a minute, counted over a rolling
// 60 s per key (docs/polygon-plans.md §1); paid plans are unlimited.

export class RequestBudget {
  /** The window the rate is counted over: Polygon's minute (shorter only in tests). */
  readonly windowMs: number;
  /** Polygon counts a request when it arrives, later than it left here: each is kept this much longer. */
  readonly #marginMs: number;
  #limit: number | undefined;
  /** Start times of the requests in the last window, oldest first. */
  readonly #sent: number[] = [];
  /** Takers wait their turn in order. */
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;

  readonly #sleep: (ms: number) => Promise<void>;

  /** `sleep` waits for a turn; the owner may make it cancellable, to stop waiting requests on shutdown. */
  constructor(perMinute?: number, windowMs = 60_000, sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now: () => number = Date.now) {
    this.#limit = perMinute;
    this.windowMs = windowMs;
    this.#sleep = sleep;
    this.#marginMs = Math.min(1_000, windowMs / 2);
    this.#now = now;
  }

  /** Requests per window (a minute); undefined: unlimited. */
  get perMinute(): number | undefined {
    return this.#limit;
  }

  set perMinute(limit: number | undefined) {
    this.#limit = limit === undefined ? undefined : Math.max(1, Math.floor(limit));
  }

  /** How many requests went out in the last minute. */
  get recent(): number {
    this.#forget();
    return this.#sent.length;
  }

  /** The server says the window is full: the next request waits a whole window from now. */
  saturate(): void {
    const limit = this.#limit ?? 1;
    const now = this.#now();
    this.#sent.length = 0;
    for (let i = 0; i < limit; i++) this.#sent.push(now);
  }

  /**
   * Resolves when one more request fits in the budget, and counts it. `onWait` hears how long the
   * wait will be, when there is one, before it starts.
   */
  take(onWait?: (ms: number) => void): Promise<void> {
    const turn = this.#queue.then(() => this.#acquire(onWait));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #acquire(onWait?: (ms: number) => void): Promise<void> {
    this.#forget();
    const limit = this.#limit;
    if (limit !== undefined && this.#sent.length >= limit) {
      const waitMs = this.#sent[this.#sent.length - limit]! + this.windowMs + this.#marginMs - this.#now();
      if (waitMs > 0) {
        onWait?.(waitMs);
        // A request waiting its turn is work the process stays for (a one-shot command would otherwise exit silently).
        await this.#sleep(waitMs);
      }
      this.#forget();
    }
    this.#sent.push(this.#now());
  }

  #forget(): void {
    const since = this.#now() - this.windowMs - this.#marginMs;
    while (this.#sent.length > 0 && this.#sent[0]! <= since) this.#sent.shift();
  }
}
