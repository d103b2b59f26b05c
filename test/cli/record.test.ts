import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../src/engine/index.ts';
import { startFakePolygon, type FakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { until } from '../helpers/until.ts';

let fake: FakePolygon;
const dir = mkdtempSync(join(tmpdir(), 'paper-trader-record-'));
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, developer: 'developer', free: 'free' } });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paper-trader record', () => {
  it('writes the live stream as JSONL that --replay plays back', async () => {
    const out = join(dir, 'session.jsonl');
    const env = { POLYGON_API_KEY: 'demo', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl };
    const recording = runCli(['record', '--symbols', 'AAPL', 'X:BTCUSD', '--out', out, '--duration', '3s'], { env });
    // Feed the stream while the recorder runs (it subscribes within a moment of starting).
    let n = 0;
    const feed = setInterval(() => {
      const t = Date.now();
      n++;
      fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bx: 4, bp: 150 + n / 100, bs: 2, ax: 7, ap: 150.02 + n / 100, as: 3, t }]);
      fake.push('crypto', [{ ev: 'XQ', pair: 'BTC-USD', bp: 95000, bs: 0.5, ap: 95010, as: 0.25, t, x: 1, r: t }]);
    }, 100);
    const result = await recording;
    clearInterval(feed);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/recorded \d+ events to /);
    expect(result.stderr).not.toContain('demo');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { ev: string });
    expect(lines.length).toBeGreaterThan(4);
    expect(new Set(lines.map((line) => line.ev))).toEqual(new Set(['Q', 'XQ']));

    const replay = await runCli(['--replay', out, '--json']);
    expect(replay.code).toBe(0);
    const snapshot = JSON.parse(replay.stdout) as EngineSnapshot;
    expect(snapshot.symbols.sort()).toEqual(['AAPL', 'X:BTCUSD']);
    expect(snapshot.quotes.find((quote) => quote.symbol === 'X:BTCUSD')).toMatchObject({ bid: '95000.00', ask: '95010.00' });
  });

  it('records across a dropped connection, marks the gap in the file, and stops only on Ctrl-C', async () => {
    const out = join(dir, 'across.jsonl');
    const env = { POLYGON_API_KEY: 'demo', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl };
    const recorder = startCli(['record', '--symbols', 'AAPL', '--out', out], { env });
    let n = 0;
    const push = () => fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 150 + ++n / 100, bs: 2, ap: 150.02 + n / 100, as: 3, t: Date.now() }]);
    await until(() => push() > 0, 10_000);
    const before = n;
    fake.dropConnections('stocks');
    await recorder.waitForStderr(/reconnecting/);
    // Back after the reconnect (1 s backoff): what is pushed now is recorded too.
    await until(() => push() > 0, 10_000);
    const result = await recorder.stop('SIGINT');
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown> | Record<string, unknown>[]);
    const gap = lines.findIndex((line) => Array.isArray(line) && line[0]?.['status'] === 'gap');
    expect(gap).toBeGreaterThan(0);
    expect(lines.slice(gap + 1).some((line) => !Array.isArray(line) && Number(line['bp']) > 150 + before / 100)).toBe(true);
    expect(result.stderr).toMatch(/recorded \d+ events/);
  });

  it('on a delayed plan records the delayed feed, as the app streams it', async () => {
    const out = join(dir, 'delayed.jsonl');
    const env = { POLYGON_API_KEY: 'developer', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl, POLYGON_WS_DELAYED_URL: fake.delayedWsUrl };
    const recorder = startCli(['record', '--symbols', 'AAPL', '--out', out], { env });
    await recorder.waitForStderr(/15-minute delayed feed/);
    await until(() => fake.push('stocks', [{ ev: 'T', sym: 'AAPL', i: '1', x: 4, p: 190.5, s: 100, t: Date.now(), q: 1, z: 3 }]) > 0, 10_000);
    await until(() => readFileSync(out, 'utf8').includes('"ev":"T"'), 10_000);
    const result = await recorder.stop('SIGINT');
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/rejected the API key/);
    const [line] = readFileSync(out, 'utf8').trim().split('\n').map((text) => JSON.parse(text) as { t: number });
    expect(Date.now() - line!.t).toBeGreaterThan(14 * 60_000); // the delayed host's real times
  });

  it('a plan without a WebSocket has nothing to record: one line, status 2', async () => {
    const result = await runCli(['record', '--symbols', 'AAPL', '--out', join(dir, 'free.jsonl')], {
      env: { POLYGON_API_KEY: 'free', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is nothing to record');
  });

  it('a write error (a full disk) stops it with one line and status 1', async () => {
    const env = { POLYGON_API_KEY: 'demo', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl };
    const recorder = startCli(['record', '--symbols', 'AAPL', '--out', '/dev/full'], { env });
    await recorder.waitForStderr(/recording AAPL/);
    await until(() => fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 150, bs: 2, ap: 150.02, as: 3, t: Date.now() }]) > 0, 10_000);
    // It stops on its own.
    const result = await recorder.exit();
    expect(result.stderr).toContain('paper-trader: cannot write /dev/full (ENOSPC): recording stopped after 0 events\n');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('says so in one line without a key, and never shows a wrong key', async () => {
    const none = await runCli(['record', '--symbols', 'AAPL', '--out', join(dir, 'x.jsonl')], { env: { POLYGON_API_KEY: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("paper-trader: no Polygon API key: set POLYGON_API_KEY or run 'paper-trader config set apiKey'");
    const wrong = await runCli(['record', '--symbols', 'AAPL', '--out', join(dir, 'y.jsonl'), '--duration', '5s'], {
      env: { POLYGON_API_KEY: 'sekret-key-123', POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Polygon rejected the API key');
    expect(wrong.stderr + wrong.stdout).not.toContain('sekret-key-123');
  });
});
