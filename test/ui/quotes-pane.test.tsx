import { describe, expect, it } from 'vitest';


import { delayText, QuotesPane } from '../../src/ui/panes/quotes-pane.tsx';
import { THEMES } from '../../src/ui/theme.ts';
import { ANSI, cells, INVERSE, paneFrame, plain, row } from '../helpers/pane-test.tsx';
import { makeQuote } from '../helpers/ui-state.ts';


const frame = paneFrame(QuotesPane, 8);

describe('QuotesPane', () => {
  it('titles the pane with the number of symbols', () => {
    const [title] = frame().map(plain);
    expect(title).toMatch(/^ Quotes +4 symbols$/);
  });

  it('shows bid, ask, last, change from open to mark, volume and a sparkline per symbol', () => {
    const lines = frame();
    expect(plain(lines[1]!).trim().split(/\s+/)).toEqual(['Symbol', 'Bid', 'Ask', 'Last', 'Chg%', 'Volume', 'Trend']);
    expect(cells(lines, 'AAPL')).toEqual(['AAPL', '229.99', '230.01', '230.02', '+1.25%', '1.23M', '▁▃▂▆█▇█']);
    expect(cells(lines, 'MSFT')).toEqual(['MSFT', '411.50', '411.60', '411.55', '-1.02%', '56.8K']);
    expect(cells(lines, 'TSLA')).toEqual(['TSLA', '239.98', '240.02', '240.00', '0.00%', '987.65M', '▄▄▄▄']);
    expect(cells(lines, 'X:BTCUSD')).toEqual(['X:BTCUSD', '97120.50', '97125.50', '97123.00', '+2.23%', '12.3456']);
  });

  it('right-aligns numbers under their headers and ends the sparkline at the right edge (80 columns)', () => {
    const lines = frame().map(plain);
    expect(lines[1]).toBe('Symbol           Bid        Ask       Last     Chg%   Volume Trend');
    expect(lines[2]).toBe('AAPL          229.99     230.01     230.02   +1.25%    1.23M             ▁▃▂▆█▇█');
    expect(lines[2]).toHaveLength(80);
  });

  it('uses the change from open to mark, not to last', () => {
    const quote = makeQuote('AAPL', { bid: '99.00', ask: '101.00', last: '150.00', open: '80.00' });
    const lines = frame({ snapshot: { symbols: ['AAPL'], quotes: [quote] } });
    // mark = mid = 100.00 → +25.00%; last would give +87.50%.
    expect(cells(lines, 'AAPL')[4]).toBe('+25.00%');
  });

  it('shows "-" cells for a symbol with no quote yet', () => {
    const lines = frame({ snapshot: { symbols: ['AAPL', 'NVDA'] } });
    expect(cells(lines, 'NVDA')).toEqual(['NVDA', '-', '-', '-', '-', '-']);
    expect(cells(lines, 'AAPL')[1]).toBe('229.99');
  });

  it('shows an extended-hours print newer than the regular last as the last, marked "e" and in the warning colour', () => {
    const quote = makeQuote('AAPL', { bid: '229.99', ask: '230.01', last: '230.02', extendedLast: '231.5' });
    const lines = frame({ snapshot: { symbols: ['AAPL', 'BRK.A'], quotes: [quote, makeQuote('BRK.A', { last: '712345.67', extendedLast: '712399.123456' })] } }, { theme: THEMES.dark });
    expect(cells(lines, 'AAPL')[3]).toBe('231.50e');
    expect(row(lines, 'AAPL')).toMatch(/\x1b\[33m +231\.50e\x1b\[39m/);
    // A long price gives up decimals for the marker, never the marker for an ellipsis.
    expect(cells(lines, 'BRK.A')[3]).toBe('712399.12e');
  });

  it('shows a crossed quote (bid above ask) in the warning colour', () => {
    const lines = frame({ snapshot: { symbols: ['AAPL'], quotes: [makeQuote('AAPL', { bid: '230.05', ask: '230.01' })] } }, { theme: THEMES.dark });
    expect(row(lines, 'AAPL')).toMatch(/\x1b\[33m +230\.05 +230\.01\x1b\[39m/);
  });

  it('lists symbols in watchlist order, not quote order', () => {
    const lines = frame({ snapshot: { symbols: ['X:BTCUSD', 'TSLA', 'AAPL'] } }).map(plain);
    expect(lines.slice(2, 5).map((line) => line.split(' ')[0])).toEqual(['X:BTCUSD', 'TSLA', 'AAPL']);
  });

  it('highlights the selected row, and only that row', () => {
    const body = frame({}, { selected: 1 }).slice(1);
    const highlighted = body.filter((line) => line.includes(INVERSE));
    expect(highlighted).toHaveLength(1);
    expect(plain(highlighted[0]!)).toMatch(/^MSFT /);
  });

  it('keeps the selected row in view when the list is longer than the pane', () => {
    const symbols = Array.from({ length: 12 }, (_, i) => `S${i}`);
    const lines = frame({ snapshot: { symbols, quotes: [] } }, { height: 6, selected: 9 });
    expect(lines).toHaveLength(6);
    const highlighted = lines.slice(1).filter((line) => line.includes(INVERSE));
    expect(highlighted.map(plain).map((line) => line.split(' ')[0])).toEqual(['S9']);
  });

  it('colours a rise green and a fall red in the dark theme, no change uncoloured', () => {
    const lines = frame({}, { theme: THEMES.dark });
    expect(row(lines, 'AAPL')).toMatch(/\x1b\[32m +\+1\.25%\x1b\[39m/);
    expect(row(lines, 'MSFT')).toMatch(/\x1b\[31m +-1\.02%\x1b\[39m/);
    expect(row(lines, 'TSLA')).not.toMatch(/\x1b\[3[12]m/);
  });

  it('prints no escape codes but inverse and bold in the mono theme', () => {
    const all = frame({}, { focused: true, selected: 0 }).join('\n');
    const codes = new Set(all.match(ANSI));
    expect([...codes].sort()).toEqual(['\x1b[1m', '\x1b[22m', '\x1b[27m', '\x1b[7m'].sort());
  });

  for (const width of [80, 100, 160]) {
    it(`fits ${width} columns in exactly the pane's height`, () => {
      const height = 9;
      const lines = frame({}, { width, height, selected: 2, focused: true, theme: THEMES.dark });
      expect(lines).toHaveLength(height);
      for (const line of lines) expect([...plain(line)].length).toBeLessThanOrEqual(width);
      // The sparkline takes what the fixed columns leave, so the AAPL row reaches the right edge.
      expect([...plain(row(lines, 'AAPL'))]).toHaveLength(width);
    });
  }

  it('widens the sparkline with the pane (19 points at 80 columns); a wide pane first adds sizes, the spread and the day\'s prices', () => {
    const points = Array.from({ length: 120 }, (_, i) => i % 10);
    const sparkOf = (width: number) => plain(row(frame({ sparklines: { AAPL: points } }, { width }), 'AAPL')).slice(61);
    expect(sparkOf(80)).toMatch(/^[▁▂▃▄▅▆▇█]{19}$/);
    const wide = frame({ sparklines: { AAPL: points } }, { width: 160 }).map(plain);
    expect(wide[1]).toMatch(/Volume +Bid sz +Ask sz +Spread +Prev close +Open Trend/);
    expect(plain(row(wide, 'AAPL'))).toMatch(/ [▁▂▃▄▅▆▇█]{52}$/);
    // The sparkline keeps 40 columns before another column is added.
    expect(frame({}, { width: 109 }).map(plain)[1]).toMatch(/Volume +Bid sz Trend/);
  });

  it('drops the sparkline when the fixed columns fill the width, keeping the rest', () => {
    expect(plain(frame({}, { width: 62 })[1]!)).toMatch(/Volume …$/);
    const lines = frame({}, { width: 61 }).map(plain);
    expect(lines[1]!.trim().split(/\s+/)).toEqual(['Symbol', 'Bid', 'Ask', 'Last', 'Chg%', 'Volume']);
    expect(cells(lines, 'AAPL')).toEqual(['AAPL', '229.99', '230.01', '230.02', '+1.25%', '1.23M']);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(61);
  });

  it('says how to add a symbol when the watchlist is empty', () => {
    const lines = frame({ snapshot: { symbols: [], quotes: [] } }).map(plain);
    expect(lines[0]).toMatch(/ 0 symbols$/);
    expect(lines[2]).toBe('no symbols — press a to add one');
  });

  it('is memoised', () => {
    expect((QuotesPane as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.memo'));
  });
});

describe('delayed prices', () => {
  const quoteRow = (delayMs: number | null) => ({ quote: makeQuote('AAPL', { delayMs }) });
  it('names the delay of a delayed feed, and end-of-day prices as such', () => {
    expect(delayText([quoteRow(null)])).toBe('');
    expect(delayText([quoteRow(null), quoteRow(15 * 60_000)])).toBe(', 15-min delayed');
    expect(delayText([quoteRow(20 * 3_600_000)])).toBe(', end-of-day prices');
  });
});
