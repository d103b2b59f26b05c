// `paper-trader history AAPL --from 2026-10-01 --to 2026-11-01 --interval 1D`: a table of Polygon aggregate bars.
import type { Command } from 'commander';
import { INTERVAL_HINT, parseInterval as parseBarInterval, type BarInterval } from '../../engine/market/bar-interval.ts';
import { withDataDirOption } from '../data-dir.ts';
import type { PolygonSettings } from '../polygon-settings.ts';
import { CommandError, knownSymbol, polygonFrom, settingsFor, priceText, qtyText, symbolArgument, unknownSymbol, utcTime } from './polygon.ts';

/** "5m" → 5 minute bars; "1D" → daily; "1W" weekly; "1M" monthly (m is minutes, M months). */
export function parseInterval(text: string): BarInterval {
  const interval = parseBarInterval(text);
  if (!interval) throw new CommandError(`--interval "${text}" is not an interval: ${INTERVAL_HINT}`);
  return interval;
}

export function parseDate(flag: string, text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = match ? new Date(`${match[0]}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[0]) {
    throw new CommandError(`${flag} "${text}" is not a date: use YYYY-MM-DD, e.g. 2026-10-01`);
  }
  return match[0];
}

const DAY_MS = 86_400_000;

export interface HistoryOptions {
  from?: string;
  to?: string;
  interval: string;
}

export function registerHistory(program: Command): void {
  withDataDirOption(program.command('history'))
    .description('print a table of bars (open, high, low, close, volume) from Polygon (needs a Polygon API key)')
    .argument('<symbol>', 'AAPL, X:BTCUSD or C:EURUSD')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: a month before --to)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: today, UTC)')
    .option('--interval <interval>', 'bar length: 1m, 5m, 1h, 1D, 1W, 1M', '1D')
    .action(async (input: string, options: HistoryOptions, command: Command) => {
      process.stdout.write(await historyText(input, options, settingsFor(command)));
    });
}

export async function historyText(input: string, options: HistoryOptions, settings: PolygonSettings): Promise<string> {
  const symbol = symbolArgument(input);
  const { multiplier, timespan } = parseInterval(options.interval);
  const to = options.to === undefined ? new Date().toISOString().slice(0, 10) : parseDate('--to', options.to);
  const from = options.from === undefined ? new Date(Date.parse(to) - 30 * DAY_MS).toISOString().slice(0, 10) : parseDate('--from', options.from);
  if (from > to) throw new CommandError(`--from ${from} is after --to ${to}: e.g. --from 2026-10-01 --to 2026-11-01`);
  const polygon = await polygonFrom(settings);
  const bars = await knownSymbol(polygon, symbol, () => polygon.rest.bars(symbol, { multiplier, timespan, from, to }));
  if (bars.length === 0) {
    if (!(await polygon.rest.tickerExists(symbol))) throw await unknownSymbol(polygon, symbol);
    return `${symbol}: no ${options.interval} bars from ${from} to ${to}\n`;
  }
  const precision = timespan === 'second' ? 'ms' : timespan === 'minute' || timespan === 'hour' ? 'minute' : 'day';
  const header = [precision === 'day' ? 'Date (UTC)' : 'Time (UTC)', 'Open', 'High', 'Low', 'Close', 'Volume'];
  const rows = bars.map((bar) => [
    precision === 'ms' ? utcTime(bar.start).replace(/ UTC$/, '') : utcTime(bar.start, precision),
    priceText(bar.open),
    priceText(bar.high),
    priceText(bar.low),
    priceText(bar.close),
    qtyText(bar.volume),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${symbol} ${options.interval} bars, ${from} to ${to}\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}
