// Every file of the data directory is the owner's alone, like the API token: the account (and its
// -wal, where the books are until a checkpoint), its lock, the logs, the config.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root` whose mode lets the group or others in, as "path 644". */
function openToOthers(root: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) found.push(`${path.slice(root.length + 1)} ${mode.toString(8)}`);
  }
  return found;
}

describe('file modes in the data directory', () => {
  it('are owner-only while trading (the -wal too) and after: account, lock, logs, API token, config', async () => {
    const env = { PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' };
    expect((await runCli(['config', 'set', 'restUrl', 'http://127.0.0.1:9'], { env })).code).toBe(0);
    const run = startCli(['--headless', '--symbols', 'AAPL', '--market', 'simulated', '--api', '--api-port', '0'], { env });
    await run.waitForStdout(/account "default" created/);
    const names = readdirSync(join(dir, 'accounts'));
    expect(names).toEqual(expect.arrayContaining(['default.db', 'default.db-wal', 'default.db.lock']));
    expect(openToOthers(dir)).toEqual([]);
    expect((await run.stop()).code).toBe(0);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['paper-trader.log', 'api-token']));
    expect(openToOthers(dir)).toEqual([]);
  });
});
