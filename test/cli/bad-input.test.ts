import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paper-trader-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

// Each case: the flags, and a piece of the one line the user must see.
const cases: [string, string[], RegExp][] = [
  ['--cash abc', ['--cash', 'abc', '--fast'], /starting cash "abc" is not a number/],
  ['--cash -5', ['--cash', '-5', '--fast'], /starting cash must be > 0/],
  ['--symbols with no symbol', ['--symbols'], /--symbols.*argument missing/],
  ['--symbols that are empty', ['--symbols', '', '--fast'], /--symbols is empty/],
  ['--symbols that are not symbols', ['--symbols', 'A$PL', '--fast'], /"A\$PL" is not a symbol/],
  ['a ticker the simulated market does not know', ['--symbols', 'ZZZZZZ', '--fast'], /Unknown symbol "ZZZZZZ": the simulated market knows \d+ well-known tickers/],
  ['a typo of one it knows, split by a space', ['--symbols', 'AA PL', '--fast'], /Unknown symbol "PL" \(did you mean PG\?\)/],
  ['an unknown strategy', ['--strategy', 'nope', '--fast'], /unknown strategy "nope" \(available: sma-crossover, buy-and-hold, rsi-reversion\)/],
  ['malformed --params', ['--strategy', 'sma-crossover', '--params', '{short', '--fast'], /--params is not valid JSON/],
  ['--params that are not an object', ['--strategy', 'sma-crossover', '--params', '[1]', '--fast'], /--params must be a JSON object/],
  ['invalid strategy params', ['--strategy', 'sma-crossover', '--params', '{"shortWindow": 40, "longWindow": 30}', '--fast'], /shortWindow must be smaller than longWindow/],
  ['a missing replay file', ['--replay', join(dir, 'missing.jsonl')], /replay file ".*missing.jsonl" not found/],
  ['a corrupt replay file', ['--replay', file('corrupt.jsonl', '{"ev":"Q","sym":"AAPL"\n')], /line 1: not valid JSON/],
  ['a replay file with a bad event', ['--replay', file('bad-event.jsonl', '{"ev":"Q","sym":"AAPL","bp":"abc","bs":1,"ap":1,"as":1,"t":1}\n')], /line 1: Q event: "bp" must be a positive number/],
  ['an empty replay file', ['--replay', file('empty.jsonl', '')], /has no market events/],
  ['an unknown flag', ['--bogus'], /unknown option '--bogus'/],
  ['a bad --fees spec', ['--fees', 'lots', '--fast'], /--fees must be zero, per-share:0.005,min:1 or percent:0.1/],
  ['a bad --duration', ['--fast', '--duration', 'forever'], /--duration must look like 90s, 30m, 6.5h or 2d/],
  ['a missing strategy file', ['--strategy', './nowhere/my-strategy.ts', '--fast'], /strategy file ".\/nowhere\/my-strategy.ts" not found/],
];

describe('bad input to the CLI', () => {
  it.concurrent.each(cases)('%s prints one clear line and exits non-zero', async (_name, args, expected) => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^paper-trader: /);
    expect(lines[0]).toMatch(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});
