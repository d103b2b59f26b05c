// Symbols are checked against Polygon's reference tickers, which are case-sensitive: a typo is
// refused with the closest ticker, case is never changed to find one, and lowercase input counts
// only where it names one ticker.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { FULL_PLAN, startFakePolygon, type FakePolygon } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';

let fake: FakePolygon;
const engines: Engine[] = [];

beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
});
afterEach(async () => {
  fake.breakRest(undefined);
  await stopEngines(engines, fake);
});
afterAll(async () => {
  await fake.close();
});

async function engineWith(symbols: string[], market: { startWaitMs?: number } = {}): Promise<Engine> {
  const engine = await createEngine({ symbols, market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl, ...market } });
  engines.push(engine);
  return engine;
}

describe('adding a symbol (the a key)', () => {
  it('takes a known ticker, lowercase when it names one ticker, and crypto and forex pairs', async () => {
    const engine = await engineWith(['AAPL']);
    await engine.start();
    expect(await engine.watchSymbol('msft')).toBe('MSFT');
    expect(await engine.watchSymbol('BTC-USD')).toBe('X:BTCUSD');
    expect(await engine.watchSymbol('c:eurusd')).toBe('C:EURUSD');
    expect(engine.symbols).toEqual(['AAPL', 'MSFT', 'X:BTCUSD', 'C:EURUSD']);
  });

  it('never changes case to find a ticker: AMpB and AMPB are two, and "ampb" is refused as naming both', async () => {
    const engine = await engineWith(['AAPL']);
    await engine.start();
    await expect(engine.watchSymbol('ampb')).rejects.toThrow(`"ampb" could be AMPB or AMpB: Polygon's tickers are case-sensitive, so type the one you mean`);
    expect(await engine.watchSymbol('AMpB')).toBe('AMpB');
    expect(await engine.watchSymbol('AMPB')).toBe('AMPB');
    await expect(engine.watchSymbol('Aapl')).rejects.toThrow('Unknown symbol "Aapl": Polygon has no such ticker (did you mean AAPL?)');
  });

  it('refuses nonsense in one line with the closest ticker, and the watchlist is unchanged', async () => {
    const engine = await engineWith(['AAPL']);
    await engine.start();
    await expect(engine.watchSymbol('MSFY')).rejects.toThrow('Unknown symbol "MSFY": Polygon has no such ticker (did you mean MSFT?)');
    await expect(engine.watchSymbol('ZZZZZZ')).rejects.toThrow(/^Unknown symbol "ZZZZZZ": Polygon has no such ticker$/);
    expect(engine.symbols).toEqual(['AAPL']);
  });
});

describe('symbol search (the / key)', () => {
  it("finds Polygon's tickers by ticker or by name, with their names", async () => {
    const engine = await engineWith(['AAPL']);
    await engine.start();
    expect(await engine.searchSymbols('apple')).toContainEqual({ symbol: 'AAPL', name: 'Apple Inc.' });
    const found = await engine.searchSymbols('MSF');
    expect(found.map((match) => match.symbol)).toContain('MSFT');
    expect(found.every((match) => match.symbol.includes('MSF') || match.name.toUpperCase().includes('MSF'))).toBe(true);
  });
});

describe('--symbols', () => {
  it('names every unknown one in one line before anything starts', async () => {
    await expect(engineWith(['AAPL', 'APPL', 'NVDIA'])).rejects.toThrow(
      'Unknown symbol "APPL": Polygon has no such ticker (did you mean AAPL?); Unknown symbol "NVDIA": Polygon has no such ticker (did you mean NVDA?)',
    );
  });

  it('with REST down, takes the symbols as given after the wait and says they are unchecked', async () => {
    fake.breakRest('hang');
    const engine = await engineWith(['AAPL', 'APPL'], { startWaitMs: 200 });
    const messages: string[] = [];
    engine.on('log', (line) => messages.push(line.message));
    await engine.start();
    expect(engine.symbols).toEqual(['AAPL', 'APPL']);
    expect(messages).toContain("could not check the symbols against Polygon's reference tickers (REST did not answer in time): they are used as given");
  });
});
