import type { Timespan } from './polygon-rest.ts';

// A bar length as a user types it ("5m", "1D") and as Polygon's aggregates take it (5, "minute").

export interface BarInterval {
  readonly multiplier: number;
  readonly timespan: Timespan;
}

const UNITS: Record<string, Timespan> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  H: 'hour',
  d: 'day',
  D: 'day',
  w: 'week',
  W: 'week',
  M: 'month',
  Q: 'quarter',
  q: 'quarter',
  y: 'year',
  Y: 'year',
};

/** "5m" → 5 minute bars; "1D" daily; "1W" weekly; "1M" monthly (m is minutes, M months); undefined when it is none of these. */
export function parseInterval(text: string): BarInterval | undefined {
  const match = /^(\d{1,4})([smhHdDwWMQqyY])$/.exec(text.trim());
  const multiplier = match ? Number(match[1]) : 0;
  const timespan = match ? UNITS[match[2]!] : undefined;
  return timespan && multiplier >= 1 ? { multiplier, timespan } : undefined;
}

export const INTERVAL_HINT = 'use e.g. 1m, 5m, 1h, 1D, 1W or 1M';

/** "1minute", "5minute", "1day": how an interval names its folder in the history cache. */
export const intervalName = (interval: BarInterval): string => `${interval.multiplier}${interval.timespan}`;
