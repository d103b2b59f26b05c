// A token bucket per client address: bursts pass, a sustained flood past the rate gets 429.

export interface RateLimitOptions {
  /** Requests refilled per second (default 20 000: far above what one client needs). */
  ratePerSecond?: number;
  /** Bucket size: how many requests may arrive at once (default 20 000). */
  burst?: number;
}

export const DEFAULT_RATE_PER_SECOND = 20_000;
export const DEFAULT_BURST = 20_000;
const MAX_CLIENTS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBucketLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  /** `now` in ms; injectable so tests need no waiting. */
  constructor(options: RateLimitOptions = {}, now: () => number = () => performance.now()) {
    this.#rate = options.ratePerSecond ?? DEFAULT_RATE_PER_SECOND;
    this.#burst = options.burst ?? DEFAULT_BURST;
    if (!(this.#rate > 0) || !Number.isFinite(this.#rate)) throw new Error(`rateLimit.ratePerSecond must be a number > 0, got ${String(options.ratePerSecond)}`);
    if (!(this.#burst >= 1) || !Number.isFinite(this.#burst)) throw new Error(`rateLimit.burst must be a number >= 1, got ${String(options.burst)}`);
    this.#now = now;
  }

  take(client: string): RateDecision {
    const now = this.#now();
    let bucket = this.#buckets.get(client);
    if (!bucket) {
      if (this.#buckets.size >= MAX_CLIENTS) this.#forgetFullBuckets(now);
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate)) };
  }

  // A full bucket behaves like a missing one, so dropping it bounds memory without changing decisions.
  #forgetFullBuckets(now: number): void {
    for (const [client, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.#rate >= this.#burst) this.#buckets.delete(client);
    }
  }
}
