import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { replayEvents } from '../helpers/replay-events.ts';
import { loadReplayFile, ReplayFileError } from '../../src/engine/market/replay-file.ts';
import type { ReplaySession } from '../../src/engine/market/replay-file.ts';
import { ReplayMarket } from '../../src/engine/market/replay-market.ts';
import type { MarketEvent, MarketSink, MarketStatus } from '../../src/engine/market/types.ts';

const stocksSession = fileURLToPath(new URL('../fixtures/polygon/ws-stocks-session.jsonl', import.meta.url));
const tempDir = mkdtempSync(join(tmpdir(), 'paper-trader-replay-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

function tempFile(name: string, text: string): string {
  const path = join(tempDir, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(path: string): Promise<ReplayFileError> {
  const error = await loadReplayFile(path).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ReplayFileError);
  return error as ReplayFileError;
}

function recordingSink(): MarketSink & { events: MarketEvent[]; statuses: MarketStatus[] } {
  const events: MarketEvent[] = [];
  const statuses: MarketStatus[] = [];
  return { events, statuses, event: (event) => events.push(event), status: (status) => statuses.push(status) };
}

const trade = (sym: string, t: number) => JSON.stringify({ ev: 'T', sym, p: 10, s: 1, t });

describe('loadReplayFile', () => {
  it('reads the recorded stocks session: T, Q and AM events in file order, status frames skipped', async () => {
    const session = await loadReplayFile(stocksSession);
    expect((await replayEvents(session)).map((event) => `${event.kind} ${event.symbol}`)).toEqual([
      'trade AAPL', 'trade AMZN', 'trade AMZN', 'trade MSFT', 'quote MSFT', 'bar GTE',
    ]);
    expect(session.symbols).toEqual(['AAPL', 'AMZN', 'MSFT', 'GTE']);
    expect(session.skipped).toBe(8);
  });

  it('keeps arrival order even when timestamps go backwards', async () => {
    const path = tempFile('backwards.jsonl', [trade('B', 2000), trade('A', 1000)].join('\n'));
    const session = await loadReplayFile(path);
    expect((await replayEvents(session)).map((event) => event.time)).toEqual([2000, 1000]);
  });

  it('accepts single event objects, blank lines, CRLF endings and unknown event types', async () => {
    const path = tempFile('mixed.jsonl', `\uFEFF${trade('A', 1)}\r\n\r\n  \n{"ev":"LULD","T":"A"}\r\n[${trade('B', 2)}]\n`);
    const session = await loadReplayFile(path);
    expect((await replayEvents(session)).map((event) => event.symbol)).toEqual(['A', 'B']);
    expect(session.skipped).toBe(1);
  });

  it('reports a missing file', async () => {
    const path = join(tempDir, 'nope.jsonl');
    expect((await loadError(path)).message).toBe(`replay file "${path}" not found`);
  });

  it('reports a directory', async () => {
    expect((await loadError(tempDir)).message).toBe(`replay file "${tempDir}" is a directory, not a file`);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read', async () => {
    const path = tempFile('locked.jsonl', trade('A', 1));
    chmodSync(path, 0o000);
    expect((await loadError(path)).message).toBe(`replay file "${path}" cannot be read: permission denied`);
  });

  it('reports bad JSON with its line number', async () => {
    const path = tempFile('bad-json.jsonl', `${trade('A', 1)}\n\n{"ev":"T",\n`);
    expect((await loadError(path)).message).toMatch(new RegExp(`^replay file ".*bad-json.jsonl" line 3: not valid JSON \\(.+\\)$`));
  });

  it('reports an invalid event with its line number and the field at fault', async () => {
    const path = tempFile('bad-event.jsonl', `${trade('A', 1)}\n[${trade('B', 2)},{"ev":"Q","sym":"B","bp":"abc","ap":1,"bs":1,"as":1,"t":3}]\n`);
    expect((await loadError(path)).message).toBe(
      `replay file "${path}" line 2: Q event: "bp" must be a positive number, got "abc"`,
    );
  });

  it('reports a line that is neither an event nor a frame', async () => {
    const path = tempFile('number.jsonl', '42\n');
    expect((await loadError(path)).message).toBe(`replay file "${path}" line 1: expected an event object or an array of events, got 42`);
  });

  it('reports an empty file and a file of status frames only', async () => {
    const empty = tempFile('empty.jsonl', '');
    expect((await loadError(empty)).message).toBe(`replay file "${empty}" has no market events (quotes, trades or bars)`);
    const statusOnly = fileURLToPath(new URL('../fixtures/polygon/ws-auth-failed.jsonl', import.meta.url));
    expect((await loadError(statusOnly)).message).toMatch(/has no market events/);
  });
});

describe('ReplayMarket', () => {
  async function startedMarket(session: ReplaySession, symbols?: readonly string[]) {
    const market = new ReplayMarket(session, symbols ? { symbols } : {});
    const sink = recordingSink();
    await market.start(sink);
    return { market, sink };
  }

  it('delivers nothing on start, only reports that it is live', async () => {
    const { market, sink } = await startedMarket(await loadReplayFile(stocksSession));
    expect(sink.events).toEqual([]);
    expect(sink.statuses).toEqual([{ source: 'replay', state: 'live', message: 'replaying 6 events' }]);
    expect(market.source).toBe('replay');
    expect(market.stepper).toBe(market);
    expect([market.position, market.total, market.done]).toEqual([0, 6, false]);
  });

  it('step(n) delivers exactly n events, in file order', async () => {
    const session = await loadReplayFile(stocksSession);
    const { market, sink } = await startedMarket(session);
    expect(market.step(2)).toBe(2);
    expect(sink.events).toEqual((await replayEvents(session)).slice(0, 2));
    expect(market.step(3)).toBe(3);
    expect(sink.events).toEqual((await replayEvents(session)).slice(0, 5));
    expect(market.position).toBe(5);
  });

  it('reports ended once, when the last event is consumed, then steps return 0', async () => {
    const { market, sink } = await startedMarket(await loadReplayFile(stocksSession));
    expect(market.step(100)).toBe(6);
    expect(market.done).toBe(true);
    expect(market.step(1)).toBe(0);
    expect(sink.statuses.map((status) => status.state)).toEqual(['live', 'ended']);
  });

  it('passes over unsubscribed symbols but counts them as consumed', async () => {
    const session = await loadReplayFile(stocksSession);
    const { market, sink } = await startedMarket(session);
    market.unsubscribe(['AMZN']);
    expect(market.step(4)).toBe(4);
    expect(sink.events.map((event) => event.symbol)).toEqual(['AAPL', 'MSFT']);
    market.subscribe(['AMZN']);
    market.unsubscribe(['GTE']);
    market.step(2);
    expect(sink.events.map((event) => event.symbol)).toEqual(['AAPL', 'MSFT', 'MSFT']);
  });

  it('subscribes only the symbols given to the constructor', async () => {
    const { market, sink } = await startedMarket(await loadReplayFile(stocksSession), ['GTE']);
    market.step(6);
    expect(sink.events.map((event) => `${event.kind} ${event.symbol}`)).toEqual(['bar GTE']);
  });

  it('treats a zero, negative or fractional step sensibly', async () => {
    const { market } = await startedMarket(await loadReplayFile(stocksSession));
    expect(market.step(0)).toBe(0);
    expect(market.step(-3)).toBe(0);
    expect(market.step(Number.NaN)).toBe(0);
    expect(market.step(1.9)).toBe(1);
  });

  it('reports stopped and delivers nothing more after stop', async () => {
    const { market, sink } = await startedMarket(await loadReplayFile(stocksSession));
    await market.stop();
    expect(market.step(3)).toBe(0);
    expect(sink.events).toEqual([]);
    expect(sink.statuses.at(-1)).toEqual({ source: 'replay', state: 'stopped' });
  });
});

describe('replay files of any size, streamed', () => {
  it('a gzip file (whatever its name) replays exactly the events of the plain one', async () => {
    const plain = await replayEvents(await loadReplayFile(stocksSession));
    const zipped = join(tempDir, 'session.jsonl.gz');
    writeFileSync(zipped, gzipSync(readFileSync(stocksSession)));
    expect(await replayEvents(await loadReplayFile(zipped))).toEqual(plain);
    const unnamed = join(tempDir, 'session-zipped.jsonl');
    writeFileSync(unnamed, gzipSync(readFileSync(stocksSession)));
    expect(await replayEvents(await loadReplayFile(unnamed))).toEqual(plain);
  });

  it('a gzip file cut short is one line, before anything plays', async () => {
    const whole = gzipSync(Buffer.from(Array.from({ length: 5_000 }, (_, i) => trade('AAPL', 1000 + i)).join('\n')));
    const cut = join(tempDir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    expect((await loadError(cut)).message).toMatch(/^replay file ".*cut\.jsonl\.gz" is not a whole gzip file \(unexpected end of file\)$/);
  });

  it('steps through a file too large to keep, batch after batch, in file order, knowing the next time before each step', async () => {
    const count = 30_000;
    const path = tempFile('long.jsonl', `${Array.from({ length: count }, (_, i) => trade(i % 2 ? 'AAPL' : 'MSFT', 1000 + i)).join('\n')}\n`);
    const market = new ReplayMarket(await loadReplayFile(path));
    const sink = recordingSink();
    await market.start(sink);
    const times: number[] = [];
    while (!market.done) {
      await market.prefetch(1_001);
      const next = market.nextTime;
      expect(market.step(1_000)).toBeGreaterThan(0);
      times.push(next!);
    }
    expect(sink.events.map((event) => event.time)).toEqual(Array.from({ length: count }, (_, i) => 1000 + i));
    expect(times[1]).toBe(2_000);
    expect(market.nextTime).toBeUndefined();
    expect(sink.statuses.at(-1)).toEqual({ source: 'replay', state: 'ended', message: `replayed ${count} events` });
  });
});
