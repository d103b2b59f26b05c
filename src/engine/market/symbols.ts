import { closestMatch } from '../closest-match.ts';
import type { AssetClass } from './types.ts';

// Polygon's tickers are case-sensitive: a preferred share may carry a lowercase letter (BACpB is not BACPB).
const STOCK = /^[A-Z][A-Za-z0-9.]{0,9}$/;
const CRYPTO = /^X:[A-Z0-9]{2,12}$/;
const FOREX = /^C:[A-Z]{6}$/;

export type SymbolResult = { ok: true; symbol: string } | { ok: false; error: string };

/**
 * Normalises what a person typed (aapl, x:btcusd, BTC-USD, EUR/USD) to a canonical REST ticker.
 * Input typed all in lowercase is read in uppercase; input with any capital is kept as typed, since
 * case alone can tell two tickers apart (a provider that knows the tickers checks what is meant).
 */
export function normalizeSymbol(input: string): SymbolResult {
  const typed = input.trim();
  const text = typed === typed.toLowerCase() || /^[a-z]:/i.test(typed) || /[-/]/.test(typed) ? typed.toUpperCase() : typed;
  if (text === '') return { ok: false, error: 'symbol is empty: give a ticker such as AAPL' };
  const pair = /^([A-Z0-9]{2,8})([-/])([A-Z0-9]{2,8})$/.exec(text);
  if (pair) return { ok: true, symbol: pair[2] === '-' ? `X:${pair[1]}${pair[3]}` : `C:${pair[1]}${pair[3]}` };
  if (STOCK.test(text) || CRYPTO.test(text) || FOREX.test(text)) return { ok: true, symbol: text };
  return {
    ok: false,
    error: `"${input}" is not a symbol: use a stock ticker (AAPL), a crypto pair (X:BTCUSD) or a forex pair (C:EURUSD)`,
  };
}

export function assetClassOf(symbol: string): AssetClass {
  if (symbol.startsWith('X:')) return 'crypto';
  if (symbol.startsWith('C:')) return 'forex';
  return 'stock';
}

/** Decimals a forex pair is quoted to: a tenth of a pip, 3 for pairs priced like the yen's (USDJPY 154.123), else 5. */
export const forexDecimals = (price: number): number => (price >= 20 ? 3 : 5);

/** Whether a symbol as the user typed it (btc-usd, X:BTCUSD…) is crypto. */
export function isCryptoInput(input: string): boolean {
  const normalized = normalizeSymbol(input);
  return normalized.ok && assetClassOf(normalized.symbol) === 'crypto';
}

/** Crypto BTC-USD → X:BTCUSD; forex EUR/USD → C:EURUSD (WebSocket pairs differ from REST tickers). */
export function symbolFromPair(pair: string, assetClass: 'crypto' | 'forex'): string {
  return (assetClass === 'crypto' ? 'X:' : 'C:') + pair.replace(/[-/]/, '').toUpperCase();
}

/** The currency a symbol is priced in (USD for stocks; the quote side of a pair). */
export function quoteCurrencyOf(symbol: string): string {
  if (symbol.startsWith('C:')) return symbol.slice(-3);
  if (symbol.startsWith('X:')) {
    const body = symbol.slice(2);
    for (const currency of ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'JPY', 'BTC', 'ETH']) {
      if (body.endsWith(currency) && body.length > currency.length) return currency;
    }
    return body.slice(-3);
  }
  return 'USD';
}

/** The closest known symbol to a typo (APPL → AAPL), or undefined when nothing is close. */
export const suggestSymbol = (input: string, known: Iterable<string>): string | undefined => closestMatch(input.toUpperCase(), known);
