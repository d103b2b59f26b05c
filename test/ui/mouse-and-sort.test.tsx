// The mouse (a click selects and focuses, a click on a header sorts, the wheel scrolls) and the
// sortable columns (o), on the whole app; the terminal's SGR reports parsed and kept from Ink.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KeySplittingStdin } from '../../src/ui/key-splitting-stdin.ts';
import { parseMouse, type MouseEvent } from '../../src/ui/mouse.ts';
import { nextSort, sortRows, QUOTE_SORT_KEYS } from '../../src/ui/sorting.ts';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { appRigPerTest, type AppRig } from '../helpers/app-rig.tsx';

const session = [
  quote('AAPL', T0, 229.98, 230.02, 5, 5),
  quote('MSFT', T0 + 100, 420.1, 420.2, 5, 5),
  quote('NVDA', T0 + 200, 139.9, 140, 5, 5),
  quote('NVDA', T0 + SECOND, 145.9, 146, 5, 5),
  quote('AAPL', T0 + 2 * SECOND, 219.98, 220.02, 5, 5),
];

const app = appRigPerTest();
let rig: AppRig;

const rowsOf = (frame: string, pane: string): string[] => {
  const lines = frame.split('\n');
  const top = lines.findIndex((line) => line.startsWith(` ${pane} `));
  return lines.slice(top + 2).filter((line) => /^[A-Z]{2,}\s/.test(line)).slice(0, 3).map((line) => line.split(/\s+/)[0]!);
};
const click = (x: number, y: number): MouseEvent => ({ kind: 'press', button: 0, x, y });

describe('SGR mouse reports', () => {
  it('are read as clicks and wheel notches, 0-based', () => {
    expect(parseMouse('\u001B[<0;12;5M')).toEqual({ kind: 'press', button: 0, x: 11, y: 4 });
    expect(parseMouse('\u001B[<0;12;5m')).toMatchObject({ kind: 'release' });
    expect(parseMouse('\u001B[<64;3;3M')).toMatchObject({ kind: 'wheelUp', x: 2, y: 2 });
    expect(parseMouse('\u001B[<65;3;3M')).toMatchObject({ kind: 'wheelDown' });
    expect(parseMouse('\u001B[A')).toBeUndefined();
  });

  it('never reach Ink as keys: they leave the stdin as mouse events', async () => {
    const source = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined }) as unknown as NodeJS.ReadStream;
    const stdin = new KeySplittingStdin(source);
    const events: MouseEvent[] = [];
    stdin.on('mouse', (event: MouseEvent) => events.push(event));
    const read = new Promise((resolve) => stdin.once('readable', resolve));
    (source as unknown as PassThrough).write('j\u001B[<0;5;6Mk\u001B[<65;1;1M');
    await read;
    const keys: string[] = [];
    for (let key = stdin.read(); key !== null; key = stdin.read()) keys.push(key);
    expect(keys).toEqual(['j', 'k']);
    expect(events.map((event) => event.kind)).toEqual(['press', 'wheelDown']);
  });
});

describe('sorting', () => {
  it('puts numbers largest first, rows without a value last, ties in watchlist order; o cycles the columns, then back to none', () => {
    const rows = [{ symbol: 'B', quote: undefined }, { symbol: 'A', quote: { volume: '5' } }, { symbol: 'C', quote: { volume: '9' } }] as never[];
    expect(sortRows(rows, QUOTE_SORT_KEYS, { column: 'Volume', descending: true }).map((r: { symbol: string }) => r.symbol)).toEqual(['C', 'A', 'B']);
    expect(sortRows(rows, QUOTE_SORT_KEYS, { column: 'Symbol', descending: false }).map((r: { symbol: string }) => r.symbol)).toEqual(['A', 'B', 'C']);
    let sort = nextSort('quotes', undefined);
    const seen: string[] = [];
    while (sort) {
      seen.push(`${sort.column}${sort.descending ? '↓' : '↑'}`);
      sort = nextSort('quotes', sort);
    }
    expect(seen).toEqual(['Symbol↑', 'Chg%↓', 'Volume↓', 'Last↓', 'Bid↓', 'Ask↓']);
  });

  it('o sorts the focused Quotes pane, and b then trades the row shown selected', async () => {
    rig = await app.open(session);
    await rig.step(5);
    expect(rowsOf(rig.screen.frame(), 'Quotes')).toEqual(['AAPL', 'MSFT', 'NVDA']);
    await rig.press('o', 'o');
    const byChange = await rig.screen.waitFor((f) => f.includes('Chg%↓'));
    // NVDA rose, MSFT is flat (its first price), AAPL fell.
    expect(rowsOf(byChange, 'Quotes')).toEqual(['NVDA', 'MSFT', 'AAPL']);
    await rig.press('B');
    expect(rig.engine.snapshot().portfolio.positions.map((p) => p.symbol)).toEqual(['NVDA']);
  });
});

describe('the mouse on the screen', () => {
  it('a click on a row selects it and focuses its pane; a click on a header sorts by it, twice the other way', async () => {
    rig = await app.open(session, { columns: 100, rows: 30 });
    await rig.step(5);
    // Row 3 of the screen is the second quote row (title, header, AAPL, MSFT).
    await rig.mouse(click(2, 3));
    await rig.press('B');
    expect(rig.engine.snapshot().portfolio.positions.map((p) => p.symbol)).toEqual(['MSFT']);
    // The Volume header (columns 51-58 of the quotes table).
    await rig.mouse(click(55, 1));
    await rig.screen.waitFor((f) => f.includes('Volume↓'));
    await rig.mouse(click(55, 1));
    await rig.screen.waitFor((f) => f.includes('Volume↑'));
  });

  it('the wheel moves the selection of the pane under it', async () => {
    rig = await app.open(session, { columns: 100, rows: 30 });
    await rig.step(5);
    await rig.mouse({ kind: 'wheelDown', button: 0, x: 5, y: 4 });
    await rig.mouse({ kind: 'wheelDown', button: 0, x: 5, y: 4 });
    await rig.press('B');
    expect(rig.engine.snapshot().portfolio.positions.map((p) => p.symbol)).toEqual(['NVDA']);
  });
});
