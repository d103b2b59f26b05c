import { describe, expect, it } from 'vitest';
import { fit, percentChange, price, shortenNumber, symbolPrice, usd } from '../../src/ui/format.ts';

describe('display formatting', () => {
  it('drops decimals to fit a number in its column instead of hiding its size', () => {
    expect(shortenNumber('94990.680123', 10)).toBe('94990.6801');
    expect(shortenNumber('0.105265484', 10)).toBe('0.10526548');
    expect(shortenNumber('-0.0245%', 6)).toBe('-0.02%');
    expect(shortenNumber('123456789.5', 10)).toBe('123456789');
    expect(shortenNumber('AAPL.WS', 3)).toBe('AAPL.WS');
  });

  it('formats money with thousands and exactly two decimals', () => {
    expect(usd('1234567.5')).toBe('$1,234,567.50');
    expect(usd('-0.05')).toBe('-$0.05');
  });

  it('keeps forex prices to the tick and cuts text with an ellipsis', () => {
    expect(price('1.04988')).toBe('1.04988');
    expect(price('230.00')).toBe('230.00');
    expect(fit('long symbol name', 6)).toBe('long …');
  });
});

describe('prices by symbol', () => {
  it("pads each symbol's prices to its decimals so a column lines up, and never cuts a decimal it has", () => {
    expect([symbolPrice('C:EURUSD', '1.0499'), symbolPrice('C:EURUSD', '1.04988')]).toEqual(['1.04990', '1.04988']);
    expect(symbolPrice('C:USDJPY', '154.2')).toBe('154.200');
    expect([symbolPrice('AAPL', '229.9'), symbolPrice('AAPL', '230')]).toEqual(['229.90', '230.00']);
    // A sub-penny stock price keeps its decimals.
    expect(symbolPrice('AAPL', '0.1234')).toBe('0.1234');
    expect([symbolPrice('X:BTCUSD', '95000.5'), symbolPrice('X:DOGEUSD', '0.1234'), symbolPrice('X:ETHUSD', '3.5')]).toEqual(['95000.50', '0.123400', '3.5000']);
    expect(symbolPrice('AAPL', null)).toBe('-');
  });
});

describe('percent change', () => {
  it('signs a change and never prints -0.00% or +0.00% for one that rounds to nothing', () => {
    expect(percentChange('100', '101.25')).toBe('+1.25%');
    expect(percentChange('100', '98.5')).toBe('-1.50%');
    expect(percentChange('229.99', '229.98')).toBe('0.00%');
    expect(percentChange('100', '100.001')).toBe('0.00%');
    expect(percentChange('100', '100')).toBe('0.00%');
    expect(percentChange(null, '100')).toBe('-');
  });
});

describe('themes', () => {
  it('goes mono under NO_COLOR whatever --theme says, and dark by default', async () => {
    const { pickTheme } = await import('../../src/ui/theme.ts');
    expect(pickTheme('light', { NO_COLOR: '1' }).name).toBe('mono');
    expect(pickTheme('light', { NO_COLOR: '' }).name).toBe('light');
    expect(pickTheme(undefined, {}).name).toBe('dark');
    expect(pickTheme('mono', {}).color).toBe(false);
  });
});
