// `paper-trader config` through the real binary: the saved key and URLs, and how they combine
// with the environment. Every run has its own data directory.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePolygon, startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { type CliResult, runCli, tempDataDirs } from '../helpers/run-cli.ts';
import { hasTmux, killServer, start } from '../helpers/tmux.ts';

const KEY = 'config-test-key-4b8e1d7a9f2c6e03';
const { fresh: freshDir, cleanup } = tempDataDirs();
afterAll(() => {
  cleanup();
  if (hasTmux) killServer();
});

// No Polygon variables from the shell running the tests: only what a case sets.
const clean = { POLYGON_API_KEY: '', POLYGON_REST_URL: '', POLYGON_WS_URL: '' };
const inDir = (dir: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...clean, PAPER_TRADER_DATA_DIR: dir, ...env });

/** The one `paper-trader: …` line a failed run must print, exit 2, nothing on stdout. */
function expectOneLine(result: CliResult, expected: RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^paper-trader: /);
  expect(lines[0]).toMatch(expected);
  expect(result.stdout).toBe('');
}

describe('paper-trader config', () => {
  it.concurrent('sets, gets and unsets the key without ever printing it, in a 0600 file', async () => {
    const dir = freshDir();
    const env = inDir(dir);
    const [path, set] = await Promise.all([runCli(['config', 'path'], { env }), runCli(['config', 'set', 'apiKey', KEY], { env })]);
    expect(path.stdout).toBe(`${join(dir, 'config.json')}\n`);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(`saved apiKey in ${join(dir, 'config.json')}\n`);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ apiKey: KEY });

    const [get, overridden] = await Promise.all([
      runCli(['config', 'get', 'apiKey'], { env }),
      runCli(['config', 'get', 'apiKey'], { env: inDir(dir, { POLYGON_API_KEY: 'from-the-env-key' }) }),
    ]);
    expect(get.stdout).toBe('apiKey is set (from the config file; POLYGON_API_KEY overrides it)\n');
    // The environment wins, and get says so.
    expect(overridden.stdout).toBe('apiKey is set (from POLYGON_API_KEY, which overrides the config file)\n');
    for (const result of [set, get, overridden]) expect(result.stdout + result.stderr).not.toContain(KEY);

    // --data-dir after the subcommand's name reaches the same file.
    const unset = await runCli(['config', 'unset', 'apiKey', '--data-dir', dir], { env: inDir(freshDir()) });
    expect(unset.stdout).toBe(`removed apiKey from ${join(dir, 'config.json')}\n`);
    expect((await runCli(['config', 'get', 'apiKey'], { env })).stdout).toBe('apiKey is not set\n');
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it.concurrent('reads the key from a pipe when no value is given, so it stays out of shell history', async () => {
    const dir = freshDir();
    const set = await runCli(['config', 'set', 'apiKey'], { env: inDir(dir), input: `${KEY}\n` });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain(KEY);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ apiKey: KEY });

    expectOneLine(await runCli(['config', 'set', 'apiKey'], { env: inDir(freshDir()), input: '' }), /no apiKey on stdin/);
  });

  it.runIf(hasTmux).concurrent('asks for the key on a terminal without echoing it', async () => {
    const bin = fileURLToPath(new URL('../../bin/paper-trader.js', import.meta.url));
    const session = start(`paper-trader-config-${process.pid}`, 80, 6, [process.execPath, bin, 'config', 'set', 'apiKey'], { ...clean, TERM: 'xterm-256color' });
    try {
      await session.waitFor('Polygon API key:', 20_000);
      session.keys(`${KEY}x`, 'BSpace', 'Enter');
      expect((await session.waitForExit(20_000)).status).toBe(0);
      expect(session.screen()).toContain(`saved apiKey in ${join(session.dataDir, 'config.json')}`);
      expect(session.output()).not.toContain(KEY);
      expect(JSON.parse(readFileSync(join(session.dataDir, 'config.json'), 'utf8'))).toEqual({ apiKey: KEY });
    } finally {
      session.dispose();
    }
  });

  it.concurrent('saves and shows the URLs, the environment overriding them', async () => {
    const dir = freshDir();
    expect((await runCli(['config', 'set', 'restUrl', 'http://127.0.0.1:9'], { env: inDir(dir) })).code).toBe(0);
    const [restUrl, wsUrl, overridden] = await Promise.all([
      runCli(['config', 'get', 'restUrl'], { env: inDir(dir) }),
      runCli(['config', 'get', 'wsUrl'], { env: inDir(dir) }),
      runCli(['config', 'get', 'restUrl'], { env: inDir(dir, { POLYGON_REST_URL: 'http://127.0.0.1:8' }) }),
    ]);
    expect(restUrl.stdout).toBe('restUrl is http://127.0.0.1:9 (from the config file; POLYGON_REST_URL overrides it)\n');
    expect(wsUrl.stdout).toBe('wsUrl is not set (default: wss://socket.polygon.io)\n');
    expect(overridden.stdout).toBe("restUrl is http://127.0.0.1:8 (from POLYGON_REST_URL, which overrides the config file's http://127.0.0.1:9)\n");
  });

  it.concurrent.each([
    ['an unknown key', ['config', 'set', 'apikey', 'x'], /^paper-trader: unknown config key "apikey" \(known keys: apiKey, restUrl, wsUrl, logMaxSize, strategiesDir, cash, fees, slippageBps, symbols, strategy, params, maxPositionValue, maxOrderNotional, maxOpenOrders, dailyLossLimit\)$/],
    ['a restUrl that is not a URL', ['config', 'set', 'restUrl', 'api.polygon.io'], /restUrl "api.polygon.io" must be a URL starting with http:\/\/ or https:\/\/, e\.g\. https:\/\/api\.polygon\.io/],
    ['a wsUrl of the wrong scheme', ['config', 'set', 'wsUrl', 'https://socket.polygon.io'], /wsUrl "https:\/\/socket.polygon.io" must be a URL starting with ws:\/\/ or wss:\/\//],
  ])('%s is one line naming what is expected, exit 2', async (_name, args, expected) => {
    expectOneLine(await runCli(args, { env: inDir(freshDir()) }), expected);
  });

  it.concurrent('an unwritable data directory is one line, exit 2, for config and for a run', async () => {
    // A directory under a regular file cannot be created, even by root.
    const file = join(freshDir(), 'not-a-directory');
    writeFileSync(file, '');
    const bad = join(file, 'data');
    const expected = new RegExp(`^paper-trader: cannot write to the data directory ${bad} \\(ENOTDIR\\): choose another with --data-dir or PAPER_TRADER_DATA_DIR$`);
    const [config, run] = await Promise.all([
      runCli(['config', 'set', 'apiKey', KEY], { env: inDir(bad) }),
      runCli(['--data-dir', bad, '--fast', '--duration', '1m'], { env: inDir(freshDir()) }),
    ]);
    expectOneLine(config, expected);
    expectOneLine(run, expected);
  });
});

describe('the saved key and URLs in use', () => {
  let fake: FakePolygon;
  beforeAll(async () => {
    fake = await startFakePolygon({ keys: { demo: FULL_PLAN, [KEY]: FULL_PLAN } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it.concurrent('quote uses the saved key and URL; POLYGON_API_KEY beats the saved key', async () => {
    const dir = freshDir();
    expect((await runCli(['config', 'set', 'restUrl', fake.restUrl], { env: inDir(dir) })).code).toBe(0);
    expect((await runCli(['config', 'set', 'apiKey', KEY], { env: inDir(dir) })).code).toBe(0);
    const [saved, envWins] = await Promise.all([
      runCli(['quote', 'AAPL'], { env: inDir(dir) }),
      runCli(['quote', 'AAPL'], { env: inDir(dir, { POLYGON_API_KEY: 'wrong-env-key-0c9d' }) }),
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toMatch(/^AAPL\n\s+Bid\s+155\.65/);
    // The environment's (wrong) key was used, not the saved good one.
    expectOneLine(envWins, /Polygon rejected the API key \(401\)/);
    expect(envWins.stderr).not.toContain(KEY);
  });

  it.concurrent('without any key, quote names both ways to set one', async () => {
    expectOneLine(await runCli(['quote', 'AAPL'], { env: inDir(freshDir()) }), /^paper-trader: no Polygon API key: set POLYGON_API_KEY or run 'paper-trader config set apiKey'$/);
  });
});
