// The pure parts of the views: candles drawn as text, the activity's lines, the drawdown, the
// alert prompt's reading of what was typed, and the ASCII screen for a non-UTF-8 terminal.
import { describe, expect, it } from 'vitest';
import { alertRequestOf } from '../../src/ui/dialogs/dialog-layer.tsx';
import { terminalKind, toAscii } from '../../src/ui/glyphs.ts';
import { activityEntries, wrapLine } from '../../src/ui/views/activity-entries.ts';
import { candleChart, fitCandles, type ChartCandle } from '../../src/ui/views/candle-chart.ts';
import { drawdownSeries } from '../../src/ui/views/performance-view.tsx';
import { T0 } from '../helpers/engine-rig.ts';

const FIVE = 5 * 60_000;
const candle = (i: number, open: number, high: number, low: number, close: number): ChartCandle => ({ start: T0 + i * FIVE, open, high, low, close });
const text = (line: { text: string }[]) => line.map((segment) => segment.text).join('');

describe('candleChart', () => {
  it('draws bodies between open and close and wicks to the high and low, rising and falling in their tones, price labels on the right', () => {
    const lines = candleChart([candle(0, 10, 14, 8, 13), candle(1, 13, 13, 9, 10)], '1D', 20, 8, (p) => p.toFixed(2));
    expect(lines).toHaveLength(8);
    const rows = lines.slice(0, 7).map(text);
    // Column 0: the rising candle; column 2: the falling one (two columns each when there is room).
    expect(rows.map((row) => row[0]).join('')).toBe('│██████'.slice(0, 1) + rows.slice(1).map((row) => row[0]).join(''));
    expect(rows[0]![0]).toBe('│');
    expect(rows[6]![0]).toBe('│');
    expect(rows[1]![0]).toBe('█');
    expect(rows[0]![2]).toBe(' ');
    expect(lines[0]!.find((s) => s.text.includes('█') || s.text.includes('│'))?.tone).toBe('up');
    expect(lines[3]!.filter((s) => s.tone === 'down').map((s) => s.text.trim())).toEqual(['█']);
    expect(rows[0]).toMatch(/14\.00\s*$/);
    expect(rows[6]).toMatch(/8\.00\s*$/);
    for (const line of lines) expect(text(line).length).toBe(20);
    // The time axis: New York 10:00 under the first candle.
    expect(text(lines[7]!)).toMatch(/^10:00/);
  });

  it('merges neighbours, newest kept whole, when there are more candles than columns', () => {
    const many = Array.from({ length: 10 }, (_, i) => candle(i, i, i + 1, i - 1, i + 0.5));
    const fitted = fitCandles(many, 4);
    expect(fitted).toHaveLength(4);
    expect(fitted.at(-1)).toMatchObject({ open: 7, close: 9.5, high: 10, low: 6 });
    expect(fitted[0]).toMatchObject({ open: 0, close: 0.5, start: T0 });
  });

  it('labels the 5D axis by day and never overlaps labels', () => {
    const days = Array.from({ length: 40 }, (_, i) => ({ ...candle(0, 1, 2, 0.5, 1.5), start: T0 + i * 6 * 3_600_000 }));
    const axis = text(candleChart(days, '5D', 100, 6, (p) => p.toFixed(2)).at(-1)!);
    // Wed 4 starts three candles in: too close to Tue 3 for a label; the days after have room.
    expect(axis).toMatch(/^Tue 3 {2,}Thu 5 {2,}Fri 6 /);
    for (const label of axis.trim().split(/ {2,}/)) expect(label).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
    // Crowded (one column a candle), a label that would touch the one before is left out.
    const narrow = text(candleChart(days, '5D', 40, 6, (p) => p.toFixed(2)).at(-1)!);
    for (const label of narrow.trim().split(/ {2,}/)) expect(label).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
  });
});

describe('the activity', () => {
  it('wraps a long line under its time, never cutting it', () => {
    const lines = wrapLine('10:00:00 warn  ' + 'word '.repeat(30).trim(), 40, 15);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.startsWith(' '.repeat(15)))).toBe(true);
    expect(lines.map((line) => line.trim()).join(' ')).toBe('10:00:00 warn  ' + 'word '.repeat(30).trim());
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('filters by kind and searches any case, leaving out the log’s own fill lines', () => {
    const log = [
      { time: 1, level: 'fill' as const, text: 'buy 1 AAPL' },
      { time: 2, level: 'warn' as const, text: 'Order refused: Not Enough' },
    ];
    expect(activityEntries([], [], log, 'all', '').map((e) => e.kind)).toEqual(['warn']);
    expect(activityEntries([], [], log, 'log', 'not enough')).toHaveLength(1);
    expect(activityEntries([], [], log, 'orders', '')).toEqual([]);
  });
});

describe('drawdownSeries', () => {
  it('is each point’s fall from the highest before it, in percent', () => {
    expect(drawdownSeries([100, 110, 99, 121, 121])).toEqual([0, 0, -10, 0, 0]);
  });
});

describe('alertRequestOf', () => {
  it('reads "fill", or a price above or below the price now', () => {
    expect(alertRequestOf('AAPL', ' Fill ', '100')).toEqual({ symbol: 'AAPL', kind: 'fill' });
    expect(alertRequestOf('AAPL', '105', '100')).toEqual({ symbol: 'AAPL', kind: 'above', price: '105' });
    expect(alertRequestOf('AAPL', '95.5', '100')).toEqual({ symbol: 'AAPL', kind: 'below', price: '95.5' });
    expect(alertRequestOf('AAPL', '95', null)).toMatchObject({ kind: 'above' });
  });
});

describe('the ASCII screen', () => {
  it('swaps every drawing character one for one, so nothing moves', () => {
    const line = '╭─ Quotes ─╮ ▁▂▃▄▅▆▇█ ↑ 3 above · ↓ 2 below… │ $100┤';
    const ascii = toAscii(line);
    expect(ascii).toBe('+- Quotes -+ _.:-=+*# ^ 3 above - v 2 below~ | $100|');
    expect(ascii.length).toBe(line.length);
    expect(toAscii('日本')).toBe('??');
  });

  it('is chosen by the locale (LC_ALL, LC_CTYPE, LANG, the first set), TERM=dumb, or PAPER_TRADER_ASCII', () => {
    expect(terminalKind({ LANG: 'en_US.UTF-8' })).toEqual({ dumb: false, ascii: false });
    expect(terminalKind({ LANG: 'C' })).toEqual({ dumb: false, ascii: true });
    expect(terminalKind({ LC_ALL: 'en_US.ISO-8859-1', LANG: 'en_US.UTF-8' })).toEqual({ dumb: false, ascii: true });
    expect(terminalKind({ LC_ALL: '', LC_CTYPE: 'C.utf8' })).toEqual({ dumb: false, ascii: false });
    expect(terminalKind({})).toEqual({ dumb: false, ascii: false });
    expect(terminalKind({ TERM: 'dumb', LANG: 'C.UTF-8' })).toEqual({ dumb: true, ascii: true });
    expect(terminalKind({ LANG: 'C', PAPER_TRADER_ASCII: '0' })).toEqual({ dumb: false, ascii: false });
  });
});
