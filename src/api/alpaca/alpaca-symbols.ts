// Alpaca spells a crypto pair BTC/USD in orders, assets and activities, and BTCUSD in positions (and
// its position paths: alpaca-py#537); paper-trader's ticker is Polygon's X:BTCUSD. Alpaca trades no
// forex: a C: pair keeps paper-trader's spelling.
import { assetClassOf, quoteCurrencyOf } from '../../engine/market/symbols.ts';

const isCrypto = (symbol: string): boolean => assetClassOf(symbol) === 'crypto';

/** X:BTCUSD → BTC/USD; any other ticker as it is. */
export function alpacaSymbol(symbol: string): string {
  if (!isCrypto(symbol)) return symbol;
  const quote = quoteCurrencyOf(symbol);
  return `${symbol.slice(2, -quote.length)}/${quote}`;
}

/** X:BTCUSD → BTCUSD, as Alpaca's positions name a pair. */
export const positionSymbol = (symbol: string): string => (isCrypto(symbol) ? symbol.slice(2) : symbol);

/**
 * What a bot sent (BTC/USD, X:BTCUSD, AAPL, or BTCUSD for a pair among `known`) as the engine's
 * ticker. Alpaca takes BTCUSD for a pair too; here that needs the pair to be one this run knows,
 * since BTCUSD could as well be a stock's ticker.
 */
export function engineSymbol(input: string, known: Iterable<string> = []): string {
  const text = input.trim();
  const pair = /^([A-Za-z0-9]{2,12})\/([A-Za-z0-9]{2,6})$/.exec(text);
  if (pair) return `X:${pair[1]}${pair[2]}`.toUpperCase();
  const compact = text.toUpperCase();
  for (const symbol of known) if (isCrypto(symbol) && symbol.slice(2) === compact) return symbol;
  return text;
}
