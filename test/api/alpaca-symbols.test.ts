import { describe, expect, it } from 'vitest';
import { alpacaSymbol, engineSymbol, positionSymbol } from '../../src/api/alpaca/alpaca-symbols.ts';

describe("Alpaca's spelling of a ticker", () => {
  it('writes a crypto pair base/quote in orders and compact in positions; stocks and forex as they are', () => {
    expect(['X:BTCUSD', 'X:ETHUSDT', 'X:SOLBTC', 'AAPL', 'BRK.B', 'C:EURUSD'].map(alpacaSymbol)).toEqual(['BTC/USD', 'ETH/USDT', 'SOL/BTC', 'AAPL', 'BRK.B', 'C:EURUSD']);
    expect(['X:BTCUSD', 'AAPL'].map(positionSymbol)).toEqual(['BTCUSD', 'AAPL']);
  });

  it('reads BTC/USD (any case) as X:BTCUSD, BTCUSD only for a pair it knows, and anything else as sent', () => {
    expect(engineSymbol('BTC/USD')).toBe('X:BTCUSD');
    expect(engineSymbol(' eth/usdt ')).toBe('X:ETHUSDT');
    expect(engineSymbol('BTCUSD', ['AAPL', 'X:BTCUSD'])).toBe('X:BTCUSD');
    expect(engineSymbol('btcusd', ['X:BTCUSD'])).toBe('X:BTCUSD');
    expect(engineSymbol('BTCUSD', ['AAPL'])).toBe('BTCUSD');
    expect(engineSymbol('X:BTCUSD')).toBe('X:BTCUSD');
    expect(engineSymbol('AAPL', ['X:BTCUSD'])).toBe('AAPL');
    // Alpaca trades no forex: a slashed pair is crypto, unless this run watches it as forex.
    expect(engineSymbol('EUR/USD', ['C:EURUSD'])).toBe('C:EURUSD');
    expect(engineSymbol('EUR/USD', ['X:BTCUSD'])).toBe('X:EURUSD');
  });
});
