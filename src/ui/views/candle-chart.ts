// A candlestick chart as text lines: one column a candle (two when there is room), a price axis on
// the right and a time axis below. Pure, so every size can be tested. Display only: floats.
import type { CandleRange } from '../../engine/index.ts';

/** A candle's body and wick (an ASCII terminal gets # and |: glyphs.ts). */
const BODY = '█';
const WICK = '│';

export interface ChartCandle {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A run of cells in one tone: a rising candle, a falling one, the axes, or blank. */
export interface ChartSegment {
  text: string;
  tone: 'up' | 'down' | 'axis' | undefined;
}

/** Merges every `k` neighbours, counted from the newest, so that at most `columns` candles remain. */
export function fitCandles(candles: readonly ChartCandle[], columns: number): ChartCandle[] {
  if (columns <= 0) return [];
  const k = Math.ceil(candles.length / columns);
  if (k <= 1) return [...candles];
  const out: ChartCandle[] = [];
  for (let end = candles.length; end > 0; end -= k) {
    const group = candles.slice(Math.max(0, end - k), end);
    out.unshift({
      start: group[0]!.start,
      open: group[0]!.open,
      close: group.at(-1)!.close,
      high: Math.max(...group.map((c) => c.high)),
      low: Math.min(...group.map((c) => c.low)),
    });
  }
  return out;
}

const newYork = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', ...options });
const HOUR = newYork({ hour: '2-digit', minute: '2-digit' });
const WEEKDAY = newYork({ weekday: 'short' });
const DAY_OF_MONTH = newYork({ day: 'numeric' });
const dayLabel = (ms: number): string => `${WEEKDAY.format(ms)} ${DAY_OF_MONTH.format(ms)}`;
const DATE = newYork({ month: 'short', day: 'numeric' });

/** Where the time axis puts a label (where its key changes), and what the label says: New York time. */
const AXIS: Readonly<Record<CandleRange, { key: (ms: number) => string; label: (ms: number) => string }>> = {
  '1D': { key: (ms) => HOUR.format(ms).slice(0, 2), label: (ms) => HOUR.format(ms) },
  '5D': { key: dayLabel, label: dayLabel },
  '1M': { key: (ms) => DATE.format(ms), label: (ms) => DATE.format(ms) },
};

/**
 * The chart's lines: `height` − 1 lines of candles with price labels on the right (top, middle,
 * bottom), then the time axis. `format` writes a price label.
 */
export function candleChart(candles: readonly ChartCandle[], range: CandleRange, width: number, height: number, format: (price: number) => string): ChartSegment[][] {
  const plotHeight = height - 1;
  if (plotHeight < 2 || candles.length === 0) return [];
  const all = candles.flatMap((c) => [c.high, c.low]);
  let max = Math.max(...all);
  let min = Math.min(...all);
  if (max === min) {
    max += Math.abs(max) * 0.001 || 1;
    min -= Math.abs(min) * 0.001 || 1;
  }
  const labels = [format(max), format((max + min) / 2), format(min)];
  const labelWidth = Math.max(...labels.map((label) => label.length)) + 1;
  const plotWidth = width - labelWidth;
  if (plotWidth < 4) return [];
  const fitted = fitCandles(candles, plotWidth);
  const step = fitted.length * 2 <= plotWidth ? 2 : 1;
  const rowOf = (price: number): number => Math.round(((max - price) / (max - min)) * (plotHeight - 1));
  const shapes = fitted.map((c) => ({
    tone: (c.close >= c.open ? 'up' : 'down') as 'up' | 'down',
    high: rowOf(c.high),
    low: rowOf(c.low),
    top: rowOf(Math.max(c.open, c.close)),
    bottom: rowOf(Math.min(c.open, c.close)),
  }));
  const middle = Math.floor((plotHeight - 1) / 2);
  const lines: ChartSegment[][] = [];
  for (let row = 0; row < plotHeight; row++) {
    const segments: ChartSegment[] = [];
    const push = (text: string, tone: ChartSegment['tone']) => {
      const last = segments.at(-1);
      if (last && last.tone === tone) last.text += text;
      else segments.push({ text, tone });
    };
    for (const shape of shapes) {
      const cell = row >= shape.top && row <= shape.bottom ? BODY : row >= shape.high && row <= shape.low ? WICK : ' ';
      push(cell, cell === ' ' ? undefined : shape.tone);
      if (step === 2) push(' ', undefined);
    }
    push(' '.repeat(Math.max(0, plotWidth - shapes.length * step)), undefined);
    const label = row === 0 ? labels[0] : row === plotHeight - 1 ? labels[2] : row === middle ? labels[1] : '';
    push(` ${label ?? ''}`.padEnd(labelWidth), 'axis');
    lines.push(segments);
  }
  lines.push([{ text: timeAxis(fitted, range, step, plotWidth).padEnd(width), tone: 'axis' }]);
  return lines;
}

/** Labels under the candles where the hour (1D), the day (5D) or the date (1M) changes, never overlapping. */
function timeAxis(candles: readonly ChartCandle[], range: CandleRange, step: number, width: number): string {
  const axis = AXIS[range];
  let line = '';
  let previous: string | undefined;
  candles.forEach((candle, index) => {
    const key = axis.key(candle.start);
    const x = index * step;
    if (key !== previous && x >= line.length + (line.length === 0 ? 0 : 2)) {
      const label = axis.label(candle.start);
      if (x + label.length <= width) line = line.padEnd(x) + label;
    }
    previous = key;
  });
  return line.padEnd(width);
}
