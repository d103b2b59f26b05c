import { Box, Text } from 'ink';
import type { CandleRange, Engine } from '../../engine/index.ts';
import { CANDLE_RANGES } from '../../engine/index.ts';
import { fit, oneLine, priceDecimals } from '../format.ts';
import { useCandles } from '../hooks/use-candles.ts';
import type { UiState } from '../store.ts';
import { signColor, type Theme } from '../theme.ts';
import { candleChart, type ChartSegment } from './candle-chart.ts';
import { alertsLine, fillLine, orderLine, positionLine, quoteLine } from './symbol-details.ts';
import { isWorking } from '../../engine/index.ts';

export interface SymbolViewProps {
  engine: Engine;
  state: UiState;
  symbol: string;
  range: CandleRange;
  width: number;
  height: number;
  theme: Theme;
  /** The position's signed qty, for the footer's "closes" hint; undefined without one. */
  held: string | undefined;
}

const RANGE_TEXT: Record<CandleRange, string> = { '1D': '5-minute candles', '5D': '30-minute candles', '1M': 'daily candles' };
/** Working orders and fills listed: more go unseen behind a count. */
const MAX_ORDERS = 3;
const MAX_FILLS = 3;

/**
 * One symbol on the whole screen (Enter on a row): the quote with sizes, the candles of a range
 * with a time axis, the position and who holds it, its orders, fills and alerts, and the keys.
 */
export function SymbolView({ engine, state, symbol, range, width, height, theme, held }: SymbolViewProps) {
  const { series, error } = useCandles(engine, symbol, range, state.snapshot.time);
  const { snapshot } = state;
  const quote = snapshot.quotes.find((q) => q.symbol === symbol);
  const position = snapshot.portfolio.positions.find((p) => p.symbol === symbol);
  const orders = snapshot.orders.filter((order) => order.symbol === symbol && isWorking(order)).reverse();
  const fills = snapshot.fills.filter((fill) => fill.symbol === symbol).reverse();
  const alerts = snapshot.alerts.filter((alert) => alert.symbol === symbol);

  const labelled = (label: string, text: string, color?: string) => ({ label, text, color });
  const details = [
    labelled('Position', positionLine(symbol, position), signColor(theme, position?.unrealizedPnl ?? null)),
    ...(orders.length === 0 ? [labelled('Orders', 'none working')] : orders.slice(0, MAX_ORDERS).map((order, i) => labelled(i === 0 ? 'Orders' : '', orderLine(symbol, order)))),
    ...(orders.length > MAX_ORDERS ? [labelled('', `+${orders.length - MAX_ORDERS} more in the Orders pane`)] : []),
    ...(fills.length === 0 ? [labelled('Fills', 'none yet')] : fills.slice(0, MAX_FILLS).map((fill, i) => labelled(i === 0 ? 'Fills' : '', fillLine(symbol, fill)))),
    labelled('Alerts', alertsLine(alerts)),
  ];
  const short = held?.startsWith('-') ?? false;
  const closes = held === undefined ? '' : ` (${held.replace(/^-/, '')} closes)`;
  const footer = `b buy${short ? closes : ''} · s sell${short ? '' : closes} · A alert · r range · l activity · Esc back`;
  // Title, range line, details, footer; the chart gets the rest (none on a tiny screen).
  const chartHeight = Math.max(0, height - 3 - details.length);
  const candles = (series?.candles ?? []).map((c) => ({ start: c.start, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close) }));
  const lines = chartHeight >= 3 ? candleChart(candles, range, width, chartHeight, (price) => price.toFixed(priceDecimals(symbol, Math.abs(price)))) : [];
  const source = series === undefined ? 'loading…' : series.source === 'provider' ? `${snapshot.market.source}'s bars, then this run's` : "this run's prices (the market has no past here)";
  const problem = error ?? series?.note;
  const tabs = CANDLE_RANGES.map((r) => (r === range ? `[${r}]` : ` ${r} `)).join('');
  const tone = (segment: ChartSegment) => (segment.tone === 'up' ? theme.up : segment.tone === 'down' ? theme.down : segment.tone === 'axis' ? theme.muted : undefined);
  const blank = Math.max(0, chartHeight - lines.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold inverse>{` ${symbol} `}</Text>
        <Text>{fit(` ${quoteLine(symbol, quote)}`, Math.max(0, width - symbol.length - 2))}</Text>
      </Text>
      <Text wrap="truncate" color={problem ? theme.warning : theme.muted}>
        {fit(`${tabs}  ${RANGE_TEXT[range]}, New York time · ${problem ? oneLine(problem) : source}`, width)}
      </Text>
      {lines.map((segments, index) => (
        <Text key={index} wrap="truncate">
          {segments.map((segment, s) => (
            <Text key={s} color={tone(segment)}>
              {segment.text}
            </Text>
          ))}
        </Text>
      ))}
      {blank > 0 ? (
        <Box height={blank}>
          <Text color={theme.muted} wrap="truncate">
            {chartHeight >= 3 && series !== undefined && lines.length === 0 ? fit('no prices yet for this range: the chart fills in as they come', width) : ''}
          </Text>
        </Box>
      ) : null}
      {details.map((line, index) => (
        <Text key={`d${index}`} wrap="truncate">
          <Text color={theme.accent}>{fit(line.label, 9)}</Text>
          <Text color={line.color}>{fit(line.text, Math.max(0, width - 9))}</Text>
        </Text>
      ))}
      <Text color={theme.muted} wrap="truncate">
        {fit(footer, width)}
      </Text>
    </Box>
  );
}
