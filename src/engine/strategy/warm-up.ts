import type { Clock } from '../clock/clock.ts';
import type { Bar, MarketDataProvider } from '../market/types.ts';
import { messageOf } from '../errors.ts';

export interface WarmUpHistory {
  /** Every symbol's bars, oldest first. */
  bars: Bar[];
  /** What the log says about it. */
  message: string;
  level: 'info' | 'warn';
}

/**
 * The last `count` minute bars of each symbol from the provider, for strategy `name` to warm up
 * on. Resolves once: with what arrived, or with nothing after `timeoutMs` (a strategy waits for
 * its history no longer than that; live events are held meanwhile).
 */
export function fetchWarmUpHistory(
  provider: MarketDataProvider,
  symbols: readonly string[],
  count: number,
  name: string,
  clock: Clock,
  timeoutMs: number,
): Promise<WarmUpHistory> {
  const history = provider.history!.bind(provider);
  return new Promise((resolve) => {
    const timer = clock.setTimer(clock.now() + timeoutMs, () =>
      resolve({ bars: [], message: `strategy ${name} starts without history: ${provider.source} sent none within ${timeoutMs / 1000} s`, level: 'warn' }),
    );
    const failures: string[] = [];
    void Promise.all(
      symbols.map((symbol) =>
        history(symbol, count).catch((error: unknown) => {
          failures.push(`${symbol} (${messageOf(error)})`);
          return [] as Bar[];
        }),
      ),
    ).then((lists) => {
      timer.cancel();
      const bars = lists.flat().sort((a, b) => a.time - b.time);
      const got = lists.filter((list) => list.length > 0).length;
      const missing = failures.length > 0 ? `; no history for ${failures.join(', ')}` : '';
      resolve({
        bars,
        message: `strategy ${name} warmed up on ${bars.length} minute bars of ${got} of ${symbols.length} symbols${missing}`,
        level: failures.length > 0 ? 'warn' : 'info',
      });
    });
  });
}
