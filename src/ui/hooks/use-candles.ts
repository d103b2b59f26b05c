import { useEffect, useState } from 'react';
import type { CandleRange, CandleSeries, Engine } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';

/** How often an open chart asks again: its newest candle moves; the engine asks the provider at most once a minute. */
export const CANDLES_REFRESH_MS = 5_000;

export interface CandlesState {
  series: (CandleSeries & { note?: string }) | undefined;
  error: string | undefined;
}

/** A symbol's candles for the range, asked of the engine when shown and every few seconds while shown. */
export function useCandles(engine: Engine, symbol: string, range: CandleRange, refreshMs = CANDLES_REFRESH_MS): CandlesState {
  const [state, setState] = useState<CandlesState>({ series: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    const load = () =>
      engine.candles(symbol, range).then(
        (series) => live && setState({ series, error: undefined }),
        (error: unknown) => live && setState((previous) => ({ series: previous.series, error: messageOf(error) })),
      );
    // A new symbol or range starts blank rather than showing the last one's candles under its name.
    setState({ series: undefined, error: undefined });
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [engine, symbol, range, refreshMs]);
  return state;
}
