import { setTimeout as sleep } from 'node:timers/promises';

export interface UntilOptions<T> {
  /** The deadline, ms (default 5000): a deadline, not a timing assertion. */
  timeoutMs?: number;
  /** The pause between two probes, ms (default 10). */
  everyMs?: number;
  /** Is this probed value the one waited for? Default: any truthy value. */
  done?: (value: T) => boolean;
  /** The error's text when the deadline passes, given the last probed value (default: "condition not met within N ms"). */
  message?: (last: T) => string;
}

/**
 * Polls until a condition holds (no fixed sleeps); fails after the timeout.
 *
 * `until(cond, timeoutMs, everyMs)`: waits for `cond()` to be true.
 * `until(probe, options)`: waits for `probe()` to return a value `options.done` accepts (by default
 * a truthy one) and resolves to that value; the timeout error's text is `options.message(last)`.
 */
export function until(cond: () => boolean, timeoutMs?: number, everyMs?: number): Promise<void>;
export function until<T>(probe: () => T, options: UntilOptions<T>): Promise<T>;
export async function until<T>(probe: () => T, second?: number | UntilOptions<T>, everyMs = 10): Promise<T> {
  const options: UntilOptions<T> = typeof second === 'object' ? second : { timeoutMs: second, everyMs };
  const { timeoutMs = 5000, done = Boolean, message = () => `condition not met within ${timeoutMs} ms` } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(message(value));
    await sleep(options.everyMs ?? 10);
  }
}
