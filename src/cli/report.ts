import { formatCents, parseDecimal } from '../engine/money.ts';
import { clockTime, heldByText, signedUsd, usd } from '../ui/format.ts';
import type { EngineLogEntry } from '../engine/events.ts';
import type { EngineSnapshot, FillView } from '../engine/snapshot.ts';

export const logLine = (entry: EngineLogEntry): string => `${clockTime(entry.time)} ${entry.level.padEnd(5)} ${entry.message}`;

export const fillLine = (fill: FillView): string =>
  `${clockTime(fill.time)} fill  ${fill.side} ${fill.qty} ${fill.symbol} @ ${fill.price} = ${usd(fill.notional)}${fill.fee === '0.00' ? '' : ` fee ${usd(fill.fee)}`} (${fill.source})`;

/** One line a second for the headless mode. */
export function statusLine(snapshot: EngineSnapshot): string {
  const { portfolio, market, strategy, orders, metrics } = snapshot;
  const working = orders.filter((order) => ['new', 'accepted', 'partially_filled'].includes(order.status)).length;
  const pnl = formatCents(cents(portfolio.totalEquity) - cents(portfolio.startingCash));
  // Most important first: a narrow terminal cuts the end of the line.
  return [
    `${clockTime(snapshot.time)} ${market.source} ${market.state}`,
    `equity ${usd(portfolio.totalEquity)} ${signedUsd(pnl)}`,
    `cash ${usd(portfolio.cash)}`,
    `pos ${portfolio.positions.length} working ${working} trades ${metrics.totalTrades}`,
    `strategy ${strategy?.name ?? 'none'}`,
    snapshot.quotes.slice(0, 4).map((quote) => `${quote.symbol} ${quote.mark ?? '-'}`).join(' '),
  ].join(' | ');
}

/** The status line's facts as one JSON object (--headless --json): exact decimal strings, as the snapshot's. */
export function statusRecord(snapshot: EngineSnapshot) {
  const { portfolio, market, strategy, orders, metrics } = snapshot;
  return {
    type: 'status',
    time: snapshot.time,
    market: { source: market.source, state: market.state },
    equity: portfolio.totalEquity,
    cash: portfolio.cash,
    realizedPnl: portfolio.realizedPnl,
    unrealizedPnl: portfolio.unrealizedPnl,
    positions: portfolio.positions.length,
    workingOrders: orders.filter((order) => ['new', 'accepted', 'partially_filled'].includes(order.status)).length,
    trades: metrics.totalTrades,
    strategy: strategy?.name ?? null,
    marks: Object.fromEntries(snapshot.quotes.map((quote) => [quote.symbol, quote.mark])),
  };
}

/** The books in one line: equity, cash, realized and unrealized PnL, fees. */
export const booksLine = (portfolio: EngineSnapshot['portfolio']): string =>
  `equity ${usd(portfolio.totalEquity)}  cash ${usd(portfolio.cash)}  realized ${signedUsd(portfolio.realizedPnl)}  unrealized ${signedUsd(portfolio.unrealizedPnl)}  fees ${usd(portfolio.fees)}`;

/** A short human summary when a run ends. */
export function summary(snapshot: EngineSnapshot): string {
  const { portfolio, metrics, strategy } = snapshot;
  const lines = [
    `strategy ${strategy?.name ?? 'none'} on ${snapshot.symbols.join(' ')}, ${snapshot.market.source} market`,
    booksLine(portfolio),
    `trades ${metrics.totalTrades} (${metrics.totalFills} fills), closed ${metrics.closedTrades}, win rate ${(metrics.winRate * 100).toFixed(1)}%`,
  ];
  for (const position of portfolio.positions) {
    lines.push(`  ${position.symbol.padEnd(10)} ${position.qty.padStart(14)} @ ${position.avgPrice}  value ${usd(position.marketValue)}  unrealized ${signedUsd(position.unrealizedPnl)}  held by ${heldByText(position)}`);
  }
  return lines.join('\n');
}

function cents(amount: string): bigint {
  const parsed = parseDecimal(amount, 2);
  return parsed.ok ? parsed.value : 0n;
}
