import { describe, expect, it } from 'vitest';


import { PositionsPane } from '../../src/ui/panes/positions-pane.tsx';
import { THEMES } from '../../src/ui/theme.ts';
import { cells, INVERSE, paneFrame, plain, row } from '../helpers/pane-test.tsx';
import { makePosition } from '../helpers/ui-state.ts';


const frame = paneFrame(PositionsPane, 6);

describe('PositionsPane', () => {
  it('puts realized and unrealized PnL in the title', () => {
    const [title] = frame().map(plain);
    expect(title).toMatch(/^ Positions +realized \+\$125\.50  unrealized \+\$2,900\.00$/);
  });

  it('shows qty, avg cost, last, market value, unrealized PnL and %, and who holds it, per position', () => {
    const lines = frame({}, { width: 100 });
    expect(plain(lines[1]!)).toBe('Symbol           Qty   Avg cost       Last     Mkt value   Unreal PnL  Unreal% Held by');
    expect(cells(lines, 'AAPL')).toEqual(['AAPL', '100', '200.00', '230.00', '$23,000.00', '+$3,000.00', '+15.00%', 'you']);
    expect(cells(lines, 'TSLA')).toEqual(['TSLA', '10', '250.00', '240.00', '$2,400.00', '-$100.00', '-4.00%', 'you']);
  });

  it('at 80 columns drops the last price first (the quotes show it), keeping the PnL and who holds each position', () => {
    const lines = frame();
    expect(plain(lines[1]!)).toBe('Symbol           Qty   Avg cost     Mkt value   Unreal PnL  Unreal% Held by');
    expect(cells(lines, 'AAPL')).toEqual(['AAPL', '100', '200.00', '$23,000.00', '+$3,000.00', '+15.00%', 'you']);
    // Narrower (a side-by-side column at 120): the percent and the average cost go next; the PnL stays.
    const narrow = frame({}, { width: 64 });
    expect(plain(narrow[1]!)).toBe('Symbol           Qty     Mkt value   Unreal PnL Held by');
    expect(cells(narrow, 'AAPL')).toEqual(['AAPL', '100', '$23,000.00', '+$3,000.00', 'you']);
  });

  it('names the strategy that holds a position, and the split when several do', () => {
    const own = { ...makePosition('AAPL', '30', '200.00', '230.00'), attribution: [{ owner: 'strategy:sma-crossover', qty: '30' }] };
    const split = {
      ...makePosition('MSFT', '30', '400.00', '410.00'),
      attribution: [{ owner: 'user', qty: '10' }, { owner: 'strategy:sma-crossover', qty: '20' }],
    };
    const lines = frame({ snapshot: { portfolio: { positions: [own, split] } } }, { width: 120 });
    expect(row(lines, 'AAPL')).toMatch(/ sma-crossover$/);
    expect(row(lines, 'MSFT')).toMatch(/ you 10, sma-crossover 20$/);
    // At 80 columns the split is cut, never wrapped.
    expect(plain(row(frame({ snapshot: { portfolio: { positions: [split] } } }), 'MSFT'))).toMatch(/ you 10, sma…$/);
  });

  it('shows a short (a margin account\'s) with its negative qty and value, and its loss as the price rises', () => {
    const short = makePosition('AAPL', '-300', '100.00', '110.00');
    const lines = frame({ snapshot: { portfolio: { positions: [short] } } }, { width: 100 });
    expect(cells(lines, 'AAPL')).toEqual(['AAPL', '-300', '100.00', '110.00', '-$33,000.00', '-$3,000.00', '-10.00%', 'you']);
  });

  it('shows a fractional quantity exactly and "-" for a position with no mark yet', () => {
    const btc = makePosition('X:BTCUSD', '0.12345678', '95000.00', null);
    const lines = frame({ snapshot: { portfolio: { positions: [btc] } } }, { width: 100 });
    expect(cells(lines, 'X:BTCUSD')).toEqual(['X:BTCUSD', '0.12345678', '95000.00', '-', '$11,728.39', '+$0.00', '0.00%', 'you']);
  });

  it('fits large amounts in their columns at 80 columns', () => {
    const big = makePosition('NVDA', '9000', '120.00', '135.55');
    const lines = frame({ snapshot: { portfolio: { positions: [big] } } });
    expect(cells(lines, 'NVDA')).toEqual(['NVDA', '9000', '120.00', '$1,219,950.00', '+$139,950.00', '+12.96%', 'you']);
  });

  it('says how to buy when there are no positions', () => {
    const lines = frame({ snapshot: { portfolio: { positions: [], realizedPnl: '-12.00' } } }).map(plain);
    expect(lines[0]).toMatch(/ realized -\$12\.00  unrealized \+\$0\.00$/);
    expect(lines[2]).toBe('no positions — press b to buy the selected symbol');
  });

  it('highlights the selected row, and only that row', () => {
    const body = frame({}, { selected: 1 }).slice(1);
    const highlighted = body.filter((line) => line.includes(INVERSE));
    expect(highlighted).toHaveLength(1);
    expect(plain(highlighted[0]!)).toMatch(/^TSLA /);
  });

  it('colours a gain green and a loss red in the dark theme', () => {
    const lines = frame({}, { theme: THEMES.dark, width: 100 });
    // Ink merges adjacent spans of one colour, so both cells sit in one green (or red) span.
    expect(row(lines, 'AAPL')).toMatch(/\$23,000\.00\x1b\[32m +\+\$3,000\.00 +\+15\.00%\x1b\[39m you$/);
    expect(row(lines, 'TSLA')).toMatch(/\$2,400\.00\x1b\[31m +-\$100\.00 +-4\.00%\x1b\[39m you$/);
  });

  for (const width of [80, 100, 160]) {
    it(`fits ${width} columns in exactly the pane's height, with who holds each position`, () => {
      const height = 7;
      const lines = frame({}, { width, height, selected: 0, focused: true, theme: THEMES.dark });
      expect(lines).toHaveLength(height);
      for (const line of lines) expect([...plain(line)].length).toBeLessThanOrEqual(width);
      // From 130 columns a wide pane adds the cost basis and what the symbol realized.
      expect(plain(lines[1]!)).toMatch(width >= 130 ? / Unreal PnL +Unreal% +Cost basis +Realized Held by *$/ : / Unreal PnL +Unreal% Held by *$/);
    });
  }

  it('is memoised', () => {
    expect((PositionsPane as unknown as { $$typeof: symbol }).$$typeof).toBe(Symbol.for('react.memo'));
  });
});
