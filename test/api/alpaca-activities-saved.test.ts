// Alpaca's account activities on an account saved by an earlier paper-trader, whose fills do not
// keep what their order had filled: cum_qty and leaves_qty are counted from the order's fills.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHttpApi } from '../../src/api/index.ts';
import { createEngine } from '../../src/engine/index.ts';
import { cryptoQuote, quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { send, TOKEN } from './api-rig.ts';

const KEYS = { keyId: 'PKSAVEDKEY0123456789', secret: 'saved-secret-0123456789abcdefghijklmno' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("Alpaca's activities on an account saved before fills kept their order's filled qty", () => {
  it('count each fill’s cum_qty from its order’s fills, exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-alpaca-saved-'));
    dirs.push(dir);
    const file = join(dir, 'session.jsonl');
    // 0.1 BTC shown, then 0.2, with an AAPL fill between: the 0.3 BTC buy fills in two.
    const events = [cryptoQuote('BTC-USD', T0, 95_000, 95_010, 0.1, 0.1), quote('AAPL', T0, 100, 100.02), cryptoQuote('BTC-USD', T0 + SECOND, 95_000, 95_010, 0.2, 0.2)];
    writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n'));
    const open = () => createEngine({ market: { kind: 'replay', file }, account: 'old', dataDir: dir, symbols: ['AAPL', 'X:BTCUSD'] });
    let engine = await open();
    await engine.start();
    await engine.replay.step(2);
    engine.placeOrder({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.3', type: 'market', timeInForce: 'gtc' });
    engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'market' });
    await engine.replay.step(1);
    await engine.close();
    // As an earlier paper-trader left its fills: 13 fields, no order's filled qty.
    const db = new Database(join(dir, 'accounts', 'old.db'));
    for (const [seq, record] of db.prepare('SELECT seq, record FROM fills').raw().all() as [number, string][]) {
      db.prepare('UPDATE fills SET record = ? WHERE seq = ?').run(JSON.stringify((JSON.parse(record) as unknown[]).slice(0, 13)), seq);
    }
    db.close();

    engine = await open();
    await engine.start();
    const api = await startHttpApi(engine, { token: TOKEN, alpaca: KEYS });
    try {
      expect(engine.fillHistory().items.map((fill) => fill.orderFilledQty)).toEqual([null, null, null]);
      const reply = await send(api.url, undefined, 'GET', '/v2/account/activities', { token: false, headers: { 'apca-api-key-id': KEYS.keyId, 'apca-api-secret-key': KEYS.secret } });
      expect(reply.json.map((a: Record<string, string>) => [a.symbol, a.qty, a.cum_qty, a.leaves_qty, a.type])).toEqual([
        ['BTC/USD', '0.2', '0.3', '0', 'fill'],
        ['AAPL', '1', '1', '0', 'fill'],
        ['BTC/USD', '0.1', '0.1', '0.2', 'partial_fill'],
      ]);
    } finally {
      await api.close();
      await engine.close();
    }
  });
});
