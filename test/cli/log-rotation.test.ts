// Logs rotate by size: paper-trader.log → .1 → .2 → .3, the oldest dropped, the newest lines always
// kept in order; the size is a setting (logMaxSize, or PAPER_TRADER_LOG_MAX_SIZE), checked.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLogFiles } from '../../src/cli/log-files.ts';
import { ROTATED_KEPT, RotatingFile } from '../../src/cli/rotating-file.ts';
import { runCli, tempDataDirs } from '../helpers/run-cli.ts';

const { fresh: freshDir, cleanup } = tempDataDirs();
afterAll(cleanup);

const line = (n: number): string => `${JSON.stringify({ n, pad: 'x'.repeat(40) })}\n`;

/** The numbers in the live file and its rotations, oldest first. */
function keptNumbers(path: string): number[] {
  const files = [...Array.from({ length: ROTATED_KEPT }, (_, i) => `${path}.${ROTATED_KEPT - i}`), path].filter((file) => existsSync(file));
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((text) => (JSON.parse(text) as { n: number }).n),
  );
}

describe('a rotating log file', () => {
  it('rotates at its size, keeps three old files owner-only, and loses none of the newest lines', () => {
    const path = join(freshDir(), 'paper-trader.log');
    const file = new RotatingFile(path, 1000);
    for (let n = 0; n < 500; n++) file.write(line(n));
    file.close();
    expect(existsSync(`${path}.${ROTATED_KEPT}`)).toBe(true);
    expect(existsSync(`${path}.${ROTATED_KEPT + 1}`)).toBe(false);
    for (const name of [path, `${path}.1`, `${path}.2`, `${path}.3`]) {
      // A file passes its size by at most one line before the next write rotates it.
      expect(statSync(name).size).toBeLessThan(1000 + line(0).length);
      expect(statSync(name).mode & 0o777).toBe(0o600);
    }
    const kept = keptNumbers(path);
    expect(kept.at(-1)).toBe(499);
    // Consecutive: nothing dropped between the oldest kept line and the newest.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i));
  });

  it('two processes on one data directory rotate it once between them, and keep each one’s newest lines', () => {
    const path = join(freshDir(), 'paper-trader.log');
    const a = new RotatingFile(path, 2000);
    const b = new RotatingFile(path, 2000);
    for (let n = 0; n < 60; n++) (n % 2 ? a : b).write(line(n));
    a.close();
    b.close();
    const kept = keptNumbers(path).sort((x, y) => x - y);
    expect(new Set(kept).size).toBe(kept.length);
    expect(kept).toContain(59);
    expect(kept).toContain(58);
    expect(kept.length).toBeGreaterThanOrEqual(50);
  });
});

describe('the logMaxSize setting', () => {
  it('PAPER_TRADER_LOG_MAX_SIZE rotates paper-trader.log at that size', () => {
    const dir = freshDir();
    const saved = process.env['PAPER_TRADER_LOG_MAX_SIZE'];
    process.env['PAPER_TRADER_LOG_MAX_SIZE'] = '64KB';
    try {
      const logs = openLogFiles(dir, { apiKey: undefined, polygon: false });
      expect(logs.problems).toEqual([]);
      for (let n = 0; n < 3000; n++) logs.app!.info({ n }, 'a line of about sixty bytes');
      expect(existsSync(join(dir, 'paper-trader.log.1'))).toBe(true);
      expect(statSync(join(dir, 'paper-trader.log.1')).size).toBeLessThan(64 * 1024 + 200);
    } finally {
      if (saved === undefined) delete process.env['PAPER_TRADER_LOG_MAX_SIZE'];
      else process.env['PAPER_TRADER_LOG_MAX_SIZE'] = saved;
    }
  });

  it('config set logMaxSize is checked, saved and shown; a bad value is one line', async () => {
    const env = { PAPER_TRADER_DATA_DIR: freshDir(), PAPER_TRADER_LOG_MAX_SIZE: '' };
    const bad = await runCli(['config', 'set', 'logMaxSize', '12 parsecs'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('paper-trader: logMaxSize "12 parsecs" must be a size from 64KB to 10GB, e.g. 10MB, 500KB or 1GB\n');
    expect((await runCli(['config', 'get', 'logMaxSize'], { env })).stdout).toBe('logMaxSize is not set (default: 10MB)\n');
    expect((await runCli(['config', 'set', 'logMaxSize', '50MB'], { env })).code).toBe(0);
    expect((await runCli(['config', 'get', 'logMaxSize'], { env })).stdout).toBe('logMaxSize is 50MB (from the config file; PAPER_TRADER_LOG_MAX_SIZE overrides it)\n');
  });

  it('a bad PAPER_TRADER_LOG_MAX_SIZE is said once and the default is used', () => {
    const dir = freshDir();
    const saved = process.env['PAPER_TRADER_LOG_MAX_SIZE'];
    process.env['PAPER_TRADER_LOG_MAX_SIZE'] = 'huge';
    try {
      expect(openLogFiles(dir, { apiKey: undefined, polygon: false }).problems).toEqual([
        'PAPER_TRADER_LOG_MAX_SIZE "huge" is not a size from 64KB to 10GB (e.g. 10MB): rotating the logs at 10MB',
      ]);
    } finally {
      if (saved === undefined) delete process.env['PAPER_TRADER_LOG_MAX_SIZE'];
      else process.env['PAPER_TRADER_LOG_MAX_SIZE'] = saved;
    }
  });
});
