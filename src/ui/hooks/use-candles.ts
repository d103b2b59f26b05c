import { useEffect, useState } from 'react';
import type { CandleRange, CandleSeries, Engine } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';

/** Market time between two asks while a chart is shown: its newest candle moves; the engine asks the provider at most once a minute. */
export const CANDLES_REFRESH_MS = 5_000;

export interface CandlesState {
  series: (CandleSeries & { note?: string }) | undefined;
  error: string | undefined;
}

/**
 * A symbol's candles for the range, asked of the engine when shown and again as market time
 * passes (`now`: a replay's time moves as fast as it plays, a closed market's not at all).
 */
export function useCandles(engine: Engine, symbol: string, range: CandleRange, now: number, refreshMs = CANDLES_REFRESH_MS): CandlesState {
  const [state, setState] = useState<CandlesState>({ series: undefined, error: undefined });
  // A new symbol or range starts blank rather than showing the last one's candles under its name.
  useEffect(() => setState({ series: undefined, error: undefined }), [symbol, range]);
  const tick = Math.floor(now / refreshMs);
  useEffect(() => {
    let live = true;
    engine.candles(symbol, range).then(
      (series) => live && setState({ series, error: undefined }),
      (error: unknown) => live && setState((previous) => ({ series: previous.series, error: messageOf(error) })),
    );
    return () => {
      live = false;
    };
  }, [engine, symbol, range, tick]);
  return state;
}
