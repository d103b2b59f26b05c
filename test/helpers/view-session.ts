// A replayed market for the views' tests: AAPL trades up, dips and rises over six minutes (two
// 5-minute candles), MSFT quotes once.
import { MINUTE, quote, SECOND, T0, trade } from './engine-rig.ts';

export const VIEW_SESSION = [
  quote('AAPL', T0, 229.98, 230.02, 5, 3),
  quote('MSFT', T0 + 100, 420.1, 420.2, 5, 5),
  trade('AAPL', T0 + MINUTE, 231, 100),
  quote('AAPL', T0 + 6 * MINUTE, 228.5, 228.54, 5, 5),
  quote('AAPL', T0 + 6 * MINUTE + SECOND, 232, 232.04, 5, 5),
];
