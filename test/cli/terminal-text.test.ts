// Nothing from outside reaches a terminal raw: a symbol sent over HTTP with a clear-screen, a
// window-title change, a NUL and a newline is shown escaped, in one line, by the headless output;
// the Polygon key sent back as a symbol is never shown; config get hides a key in a URL.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { escapeControls } from '../../src/engine/printable.ts';
import { HOSTILE } from '../fixtures/strategies/hostile-text.ts';
import { FULL_PLAN, startFakePolygon, type FakePolygon } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';
import { runCli, startCli, tempDataDir } from '../helpers/run-cli.ts';



describe('escapeControls', () => {
  it('writes every control character out and leaves the rest of the text alone', () => {
    expect(escapeControls(HOSTILE)).toBe('A\\u001b[2J\\u001b]0;pwned\\u0007\\u0000\\nFORGED LINE \\u202e');
    expect(escapeControls('AAPL €1,234.50 — ok\ttab')).toBe('AAPL €1,234.50 — ok tab');
    expect(escapeControls('\u009b31m')).toBe('\\u009b31m'); // C1 CSI
  });
});

describe('the headless output', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows what a strategy says and orders escaped, on one line, with no control character reaching the terminal', async () => {
    const strategy = fileURLToPath(new URL('../fixtures/strategies/hostile-text.ts', import.meta.url));
    const run = startCli(['--headless', '--symbols', 'AAPL', '--market', 'simulated', '--strategy', strategy], { env: { PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' } });
    await run.waitForStdout(/rejected/);
    const { stdout, stderr, code } = await run.stop();
    expect(code).toBe(0);
    for (const output of [stdout, stderr]) {
      expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(output).not.toMatch(/^FORGED LINE/m);
    }
    // Said, escaped: the strategy's line and the rejection of its order.
    expect(stdout).toContain('A\\u001b[2J\\u001b]0;pwned\\u0007\\u0000\\nFORGED LINE \\u202e');
    expect(stdout).toMatch(/order o-1 \(buy A\\u001b\[2J.*\) rejected/);
  });
});

describe('the Polygon key', () => {
  const KEY = 'Sekr1tKeyAbc';
  let fake: FakePolygon;
  const engines: Engine[] = [];
  beforeAll(async () => {
    fake = await startFakePolygon({ keys: { [KEY]: FULL_PLAN } });
  });
  afterEach(() => stopEngines(engines, fake));
  afterAll(() => fake.close());

  it('sent back as a symbol (in any case) is never shown: not in the order, its reason or the log', async () => {
    const engine = await createEngine({ symbols: ['AAPL'], market: { kind: 'polygon', apiKey: KEY, restUrl: fake.restUrl, wsUrl: fake.wsUrl } });
    engines.push(engine);
    const logged: string[] = [];
    engine.on('log', (line) => logged.push(line.message));
    await engine.start();
    for (const symbol of [KEY, KEY.toLowerCase(), `${KEY}!`]) {
      const order = await engine.placeOrder({ symbol, side: 'buy', qty: '1' });
      expect(order.status).toBe('rejected');
      expect(JSON.stringify(order)).not.toMatch(new RegExp(KEY, 'i'));
    }
    expect(JSON.stringify(engine.snapshot().orders)).not.toMatch(new RegExp(KEY, 'i'));
    expect(logged.join('\n')).not.toMatch(new RegExp(KEY, 'i'));
    expect(logged.join('\n')).toContain('REDACTED');
  });
});

describe('config get', () => {
  it('never prints a key or a password inside a saved URL', async () => {
    const dir = tempDataDir();
    try {
      const env = { PAPER_TRADER_DATA_DIR: dir, POLYGON_REST_URL: '' };
      const set = await runCli(['config', 'set', 'restUrl', 'https://user:pa55word@api.example.com/?apiKey=SeCrEt123'], { env });
      expect(set.stdout + set.stderr).not.toMatch(/SeCrEt123|pa55word/);
      const got = await runCli(['config', 'get', 'restUrl'], { env });
      expect(got.stdout).toContain('https://user:REDACTED@api.example.com/?apiKey=REDACTED');
      expect(got.stdout).not.toMatch(/SeCrEt123|pa55word/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
