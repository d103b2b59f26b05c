// Durable accounts and the HTTP API through the real binary: a live run saves its account, a
// second one on it is refused, `accounts` lists, `reset` asks first; --api serves the same books.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' });
const LIVE = ['--headless', '--symbols', 'AAPL', '--market', 'simulated'];

describe('paper-trader accounts', () => {
  it('a live run saves the "default" account; a second run on it is refused in one line while the first runs', async () => {
    const first = startCli(LIVE, { env: env() });
    await first.waitForStdout(/account "default" created with \$100,000\.00/);
    const second = await runCli(LIVE, { env: env(), timeoutMs: 20_000 });
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toMatch(/^paper-trader: account "default" is open in another paper-trader \(pid \d+\): close that one first, or use another account with --account NAME$/);
    const listed = await runCli(['accounts'], { env: env() });
    expect(listed.stdout).toMatch(/^default\s+account "default" is open in another paper-trader/m);
    const stopped = await first.stop();
    expect(stopped.code).toBe(0);

    const after = await runCli(['accounts'], { env: env() });
    expect(after.stdout).toMatch(/^default\s+cash \$100,000\.00 of \$100,000\.00, 0 positions, 0 orders \(0 working\), 0 fills$/m);
  });

  it('--account names another account; --cash applies only to a new one, and says so', async () => {
    const first = startCli([...LIVE, '--account', 'swing', '--cash', '2500'], { env: env() });
    await first.waitForStdout(/account "swing" created with \$2,500\.00/);
    await first.stop();
    const again = startCli([...LIVE, '--account', 'swing', '--cash', '9000'], { env: env() });
    await again.waitForStderr(/account "swing" keeps its starting cash of \$2,500\.00: --cash applies to a new account/);
    await again.stop();
  });

  it('reset asks first: refused without a terminal unless --yes, then the account starts over', async () => {
    const run = startCli([...LIVE, '--account', 'old'], { env: env() });
    await run.waitForStdout(/account "old" created/);
    await run.stop();
    const refused = await runCli(['reset', '--account', 'old'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^paper-trader: reset deletes account "old" \(cash \$100,000\.00 .*\): confirm with --yes when not at a terminal$/);
    const reset = await runCli(['reset', '--account', 'old', '--yes'], { env: env() });
    expect(reset.stdout).toBe('account "old" was reset: the next run starts it with fresh cash\n');
    const missing = await runCli(['reset', '--account', 'old', '--yes'], { env: env() });
    expect(missing.stderr.trim()).toMatch(/^paper-trader: there is no account "old" in .* \(see paper-trader accounts\)$/);
  });

  it('a damaged account is listed as damaged and can still be reset', async () => {
    const run = startCli([...LIVE, '--account', 'broken'], { env: env() });
    await run.waitForStdout(/account "broken" created/);
    await run.stop();
    writeFileSync(join(dir, 'accounts', 'broken.db'), 'not a database at all, but long enough to look like a header');
    rmSync(join(dir, 'accounts', 'broken.db-wal'), { force: true });
    const listed = await runCli(['accounts'], { env: env() });
    expect(listed.stdout).toMatch(/^broken\s+account "broken" is damaged \(SQLITE_NOTADB\)/m);
    const refused = await runCli(['reset', '--account', 'broken'], { env: env() });
    expect(refused.stderr).toMatch(/reset deletes account "broken" \(damaged: account "broken" is damaged/);
    const reset = await runCli(['reset', '--account', 'broken', '--yes'], { env: env() });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe('account "broken" was reset: the next run starts it with fresh cash\n');
  });

  it('a replay is a backtest: its books stay in memory unless an account is named', async () => {
    const session = join(dir, 'session.jsonl');
    writeFileSync(session, `${JSON.stringify({ ev: 'Q', sym: 'AAPL', bp: 230.1, bs: 3, ap: 230.12, as: 2, t: Date.parse('2026-11-02T15:00:00Z') })}\n`);
    const replay = await runCli(['--replay', session, '--json'], { env: env() });
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout).account).toBeUndefined();
    const listed = await runCli(['accounts'], { env: env() });
    expect(listed.stdout).toMatch(/^no accounts yet/);
  });
});

describe('--api', () => {
  it('serves the running account over HTTP with the token from the data directory; an order placed there is in the books', async () => {
    const run = startCli([...LIVE, '--api-port', '0'], { env: env() });
    const [, url] = await run.waitForStderr(/HTTP API on (http:\/\/127\.0\.0\.1:\d+)\/api\/paper \(bearer token: (.*)\)/);
    const tokenFile = join(dir, 'api-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const denied = await fetch(`${url}/api/paper/portfolio`);
    expect(denied.status).toBe(401);
    const placed = await fetch(`${url}/api/paper/order`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL', qty: 5, side: 'buy', order_type: 'limit', limit_price: '1.00', time_in_force: 'gtc' }),
    });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string; status: string };
    expect(order.status).toBe('accepted');
    const orders = (await (await fetch(`${url}/api/paper/orders`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string }[] | { orders: { id: string }[] };
    expect(JSON.stringify(orders)).toContain(order.id);
    const result = await run.stop();
    expect(result.stdout + result.stderr).not.toContain(token);
    // Saved: the next run has the working order.
    const listed = await runCli(['accounts'], { env: env() });
    expect(listed.stdout).toMatch(/1 orders \(1 working\)/);
  });

  it('a replay with --api serves while it runs and exits when it ends', async () => {
    const session = join(dir, 'session.jsonl');
    writeFileSync(session, `${JSON.stringify({ ev: 'Q', sym: 'AAPL', bp: 230.1, bs: 3, ap: 230.12, as: 2, t: Date.parse('2026-11-02T15:00:00Z') })}\n`);
    const result = await runCli(['--replay', session, '--api-port', '0'], { env: env(), timeoutMs: 20_000 });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/HTTP API on http:\/\/127\.0\.0\.1:\d+\/api\/paper/);
  });

  it('a bad --api-port is one line', async () => {
    const result = await runCli([...LIVE, '--api-port', 'http'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('paper-trader: --api-port must be a port number from 0 to 65535, got "http"');
  });

  it('a bad --api-max-streams is one line', async () => {
    const result = await runCli([...LIVE, '--api-max-streams', '0'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('paper-trader: --api-max-streams must be a whole number from 1 to 10000, got "0"');
  });
});
