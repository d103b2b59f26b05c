// Alpaca spells a crypto pair BTC/USD in orders, assets and activities, and BTCUSD in positions (and
// its position paths: alpaca-py#537); paper-trader's ticker is Polygon's X:BTCUSD. Alpaca trades no
// forex: a C: pair keeps paper-trader's spelling.
import { assetClassOf, quoteCurrencyOf } from '../../engine/market/symbols.ts';

export const isCrypto = (symbol: string): boolean => assetClassOf(symbol) === 'crypto';

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
 * since BTCUSD could as well be a stock's ticker. A slashed pair is crypto (all Alpaca trades)
 * unless this run knows it as forex: EUR/USD is C:EURUSD when C:EURUSD is watched.
 */
export function engineSymbol(input: string, known: Iterable<string> = []): string {
  const text = input.trim();
  const knownSymbols = [...known];
  const pair = /^([A-Za-z0-9]{2,12})\/([A-Za-z0-9]{2,6})$/.exec(text);
  if (pair) {
    const forex = `C:${pair[1]}${pair[2]}`.toUpperCase();
    return knownSymbols.includes(forex) ? forex : `X:${pair[1]}${pair[2]}`.toUpperCase();
  }
  const compact = text.toUpperCase();
  return knownSymbols.find((symbol) => isCrypto(symbol) && symbol.slice(2) === compact) ?? text;
}
