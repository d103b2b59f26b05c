// `paper-trader quote AAPL`: the last trade and NBBO of a stock from Polygon REST.
import type { Command } from 'commander';
import { assetClassOf } from '../../engine/market/symbols.ts';
import { conditionNames } from '../../engine/market/trade-conditions.ts';
import { withDataDirOption } from '../data-dir.ts';
import type { PolygonSettings } from '../polygon-settings.ts';
import { CommandError, polygonFrom, settingsFor, priceText, qtyText, symbolArgument, knownSymbol, utcTime } from './polygon.ts';

export function registerQuote(program: Command): void {
  withDataDirOption(program.command('quote'))
    .description('print the last trade and NBBO (best bid and ask) of a stock, or the last prices of a crypto or forex pair, from Polygon (needs a Polygon API key)')
    .argument('<symbol>', 'AAPL, X:BTCUSD or C:EURUSD')
    .action(async (input: string, _options: unknown, command: Command) => {
      process.stdout.write(await quoteText(input, settingsFor(command)));
    });
}

export async function quoteText(input: string, settings: PolygonSettings): Promise<string> {
  const symbol = symbolArgument(input);
  const polygon = await polygonFrom(settings);
  if (assetClassOf(symbol) !== 'stock') return pairQuoteText(polygon, symbol);
  const [quote, trade] = await knownSymbol(polygon, symbol, () => Promise.all([polygon.rest.lastQuote(symbol), polygon.rest.lastTrade(symbol)]));
  const rows: [string, string, string, string][] = [
    ['Bid', priceText(quote.bid), qtyText(quote.bidSize), utcTime(quote.time)],
    ['Ask', priceText(quote.ask), qtyText(quote.askSize), ''],
    ['Last', priceText(trade.price), qtyText(trade.size), utcTime(trade.time)],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map(([label, p, size, time]) => `  ${label.padEnd(w[0]!)}  ${p.padStart(w[1]!)} × ${size.padEnd(w[2]!)}  ${time}`.trimEnd());
  const conditions = trade.eligibility?.conditions ?? [];
  if (conditions.length > 0) {
    // A print that may not set the last price (an odd lot, Form T) is not what a chart or a stop would use.
    const standing = trade.eligibility?.last ? 'counts as the last price' : 'not a regular last price';
    lines[2] += `  (${conditionNames(conditions)}: ${standing})`;
  }
  return `${symbol}\n${lines.join('\n')}\n`;
}

/** Crypto and forex from the snapshot: crypto's last trade, forex's last quote, and the previous close. */
async function pairQuoteText(polygon: Awaited<ReturnType<typeof polygonFrom>>, symbol: string): Promise<string> {
  const snapshot = await knownSymbol(polygon, symbol, () => polygon.rest.snapshot(symbol));
  const rows: [string, string, string][] = [];
  // Forex quotes carry no size: Polygon sends none (polygon-events' FOREX_QUOTE_SIZE is the engine's stand-in).
  const sized = (p: bigint, size: bigint) => (assetClassOf(symbol) === 'forex' ? priceText(p) : `${priceText(p)} × ${qtyText(size)}`);
  if (snapshot.quote) {
    rows.push(['Bid', sized(snapshot.quote.bid, snapshot.quote.bidSize), utcTime(snapshot.quote.time)]);
    rows.push(['Ask', sized(snapshot.quote.ask, snapshot.quote.askSize), '']);
  }
  if (snapshot.trade) rows.push(['Last', sized(snapshot.trade.price, snapshot.trade.size), utcTime(snapshot.trade.time)]);
  if (snapshot.previousClose !== undefined) rows.push(['Prev close', priceText(snapshot.previousClose), '']);
  if (rows.length === 0) throw new CommandError(`Polygon has no recent prices for ${symbol}`);
  const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${symbol}\n${rows.map(([label, value, time]) => `  ${label.padEnd(w[0]!)}  ${value.padEnd(w[1]!)}  ${time}`.trimEnd()).join('\n')}\n`;
}
