// The watchlist is kept with the account: symbols added come back after a restart, removed ones
// stay removed, and symbols asked for by name join it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, DEFAULT_SYMBOLS, type Engine } from '../../src/engine/index.ts';

let dataDir = '';
const engines: Engine[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-watchlist-'));
});
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(options: { symbols?: string[]; account?: string } = {}): Promise<Engine> {
  const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual' }, account: options.account ?? 'trader', dataDir, ...(options.symbols ? { symbols: options.symbols } : {}) });
  engines.push(engine);
  await engine.start();
  return engine;
}

async function restart(engine: Engine, options: { symbols?: string[] } = {}): Promise<Engine> {
  await engine.close();
  engines.splice(engines.indexOf(engine), 1);
  return open(options);
}

describe('the watchlist', () => {
  it('comes back after a restart as the trader left it: added symbols kept, removed ones gone', async () => {
    const first = await open();
    expect(first.symbols).toEqual([...DEFAULT_SYMBOLS]);
    first.addSymbol('IBM');
    first.removeSymbol('MSFT');
    const second = await restart(first);
    expect(second.symbols).toEqual([...DEFAULT_SYMBOLS.filter((symbol) => symbol !== 'MSFT'), 'IBM']);
  });

  it('symbols asked for by name join the saved ones', async () => {
    const first = await open({ symbols: ['AAPL'] });
    first.addSymbol('IBM');
    const second = await restart(first, { symbols: ['AAPL', 'MSFT'] });
    expect(second.symbols).toEqual(['AAPL', 'MSFT', 'IBM']);
  });

  it('an account that never changed its watchlist starts on the symbols it is given', async () => {
    const first = await open({ symbols: ['AAPL', 'MSFT'] });
    const second = await restart(first);
    expect(second.symbols).toEqual([...DEFAULT_SYMBOLS]);
  });
});

describe('the simulated market', () => {
  it('simulates only tickers it knows: another is refused in one line with the closest, at start and when added', async () => {
    await expect(createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL', 'ZZZZZZ'] })).rejects.toThrow(
      /^Unknown symbol "ZZZZZZ": the simulated market knows \d+ well-known tickers \(the README lists them\); with POLYGON_API_KEY set, any ticker Polygon has$/,
    );
    await expect(createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL', 'APPL'] })).rejects.toThrow(/^Unknown symbol "APPL" \(did you mean AAPL\?\)/);
    const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'] });
    engines.push(engine);
    await expect(engine.watchSymbol('qwerty')).rejects.toThrow(/^Unknown symbol "QWERTY"/);
    await expect(engine.watchSymbol('spy')).resolves.toBe('SPY');
    expect(engine.symbols).toEqual(['AAPL', 'SPY']);
  });

  it('simulates any ticker when asked to (benchmarks, tests)', async () => {
    const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual', anyTicker: true }, symbols: ['SYMA0'] });
    engines.push(engine);
    await expect(engine.watchSymbol('ZZZZ')).resolves.toBe('ZZZZ');
  });
});

describe('symbol search', () => {
  it("finds the simulated market's tickers holding the text, those starting with it first", async () => {
    const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'] });
    engines.push(engine);
    const found = (await engine.searchSymbols('eur')).map((match) => match.symbol);
    expect(found).toEqual(['C:EURGBP', 'C:EURJPY', 'C:EURUSD']);
    expect((await engine.searchSymbols('btc')).map((match) => match.symbol)).toEqual(['X:BTCUSD']);
    expect((await engine.searchSymbols('AA')).map((match) => match.symbol).slice(0, 2)).toEqual(['AA', 'AAPL']);
    expect(await engine.searchSymbols('  ')).toEqual([]);
  });
});
