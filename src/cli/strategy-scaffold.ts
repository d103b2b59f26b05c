// `paper-trader strategy new NAME`: the files a strategy developer starts from. The strategy
// trades a moving-average breakout so its test has something to see; every part of the API a
// strategy uses is there once, with a comment saying what it is for.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { EngineInputError } from '../engine/errors.ts';
import { apiEntry, packageRoot } from './strategy-imports.ts';

const STRATEGY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

export interface Scaffold {
  strategy: string;
  test: string;
  /** Written only when the folder had none: it gives an editor paper-trader's and zod's types. */
  tsconfig: string | undefined;
}

/** Writes NAME.ts and NAME.test.ts (and a tsconfig.json when there is none) into `dir`; never over a file. */
export function writeScaffold(dir: string, name: string): Scaffold {
  if (!STRATEGY_NAME.test(name)) {
    throw new EngineInputError(`strategy name "${name}" is not valid: start with a letter, then letters, digits, '_' or '-' (at most 48), e.g. my_strategy`);
  }
  const strategy = join(dir, `${name}.ts`);
  const test = join(dir, `${name}.test.ts`);
  for (const file of [strategy, test]) if (existsSync(file)) throw new EngineInputError(`${file} already exists: choose another name, or edit that file`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(strategy, strategySource(name));
  writeFileSync(test, testSource(name));
  const tsconfig = join(dir, 'tsconfig.json');
  if (existsSync(tsconfig)) return { strategy, test, tsconfig: undefined };
  writeFileSync(tsconfig, tsconfigSource(dir));
  return { strategy, test, tsconfig };
}

const camel = (name: string): string => name.replace(/[-_]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());

function strategySource(name: string): string {
  return `// ${name}: a paper-trader strategy. paper-trader registers it by its name when it starts (this
// folder is one of its strategies folders): run it with \`paper-trader --strategy ${name}\`, pick it
// with t on the screen, or PUT /api/paper/strategy {"name": "${name}"}. Edit it while it runs: it
// reloads, keeping its positions, its orders and what save() returned.
import { z } from 'zod';
import { defineStrategy, formatQty, type Price } from 'paper-trader';

// The params, checked before the strategy starts; snake_case keys work too (--params '{"qty": 5}').
const params = z
  .object({
    /** Quotes in the moving average. */
    window: z.number().int().min(2).default(20),
    /** Shares each entry buys. */
    qty: z.number().positive().default(10),
  })
  .strict();

export default defineStrategy({
  name: '${name}',
  description: 'Buy when the price breaks above its moving average, sell when it falls below',
  params,
  create(p) {
    // Recent mid prices per symbol (micro-dollars: prices are exact bigints).
    const recent = new Map<string, Price[]>();
    return {
      onStart(ctx) {
        ctx.log(\`watching \${ctx.symbols.join(', ')} with a \${p.window}-quote average\`);
      },
      onQuote(quote, ctx) {
        const price = ctx.price(quote.symbol);
        if (price === undefined) return;
        const prices = recent.get(quote.symbol) ?? [];
        prices.push(price);
        if (prices.length > p.window) prices.shift();
        recent.set(quote.symbol, prices);
        if (prices.length < p.window) return;
        const average = prices.reduce((sum, each) => sum + each, 0n) / BigInt(prices.length);
        // What this strategy holds: its own shares only, never the trader's.
        const held = ctx.position(quote.symbol);
        const busy = ctx.openOrders(quote.symbol).length > 0;
        if (held === 0n && !busy && price > average) {
          ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: p.qty });
        } else if (held > 0n && !busy && price < average) {
          // Quantities are exact bigints (billionths of a share); formatQty makes the decimal an order takes.
          ctx.placeOrder({ symbol: quote.symbol, side: 'sell', qty: formatQty(held) });
        }
      },
      onBar(bar, ctx) {
        // Minute bars arrive here (a bars-only symbol, or a backtest on bars); quotes above.
        void bar;
        void ctx;
      },
      onFill(fill, ctx) {
        ctx.log(\`\${fill.side} \${fill.qty} \${fill.symbol} at \${fill.price}\`);
      },
      // Kept with the account: a restart (or a reload of this file) continues from it.
      save: () => Object.fromEntries([...recent].map(([symbol, prices]) => [symbol, prices.map(String)])),
      load(state) {
        for (const [symbol, prices] of Object.entries((state ?? {}) as Record<string, string[]>)) recent.set(symbol, prices.map((text) => BigInt(text)));
      },
    };
  },
});
`;
}

function testSource(name: string): string {
  const id = camel(name);
  return `// ${name}'s test: a replay of a price that rises, then falls, through paper-trader's engine (the
// same one that trades live). Run it with \`paper-trader strategy test ${name}\`.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine } from 'paper-trader';
import ${id} from './${name}.ts';

/** Polygon WebSocket quotes, one a second, around \`mid\`: what a replay file holds. */
function quotes(mids: number[]): string {
  const start = Date.parse('2026-11-03T15:00:00Z');
  return mids.map((mid, i) => JSON.stringify({ ev: 'Q', sym: 'AAPL', bp: mid - 0.01, bs: 5, ap: mid + 0.01, as: 5, t: start + i * 1000 })).join('\\n') + '\\n';
}

test('${name} buys the rise and sells the fall', async () => {
  const file = join(mkdtempSync(join(tmpdir(), '${name}-')), 'session.jsonl');
  const rise = Array.from({ length: 30 }, (_, i) => 100 + i * 0.1);
  const fall = Array.from({ length: 30 }, (_, i) => 103 - i * 0.1);
  writeFileSync(file, quotes([...rise, ...fall]));
  const engine = await createEngine({ symbols: ['AAPL'], market: { kind: 'replay', file }, strategies: [${id}], strategy: '${name}', strategyParams: { window: 5, qty: 10 } });
  await engine.start();
  await engine.replay.runToEnd();
  const { fills, portfolio } = engine.snapshot();
  await engine.stop();
  assert.equal(fills[0]?.side, 'buy', 'the first fill buys the rise');
  assert.ok(fills.some((fill) => fill.side === 'sell'), 'a later fill sells the fall');
  assert.deepEqual(portfolio.positions, [], 'nothing is left held at the end');
});
`;
}

function tsconfigSource(dir: string): string {
  const root = packageRoot();
  const path = (to: string): string => relative(dir, to) || '.';
  const config = {
    // For an editor: where paper-trader (and the zod it ships with) are, wherever it runs from.
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      // paper-trader's own sources come along (its screen is React).
      jsx: 'react-jsx',
      paths: { 'paper-trader': [path(apiEntry(root, true))], zod: [path(dirname(createRequire(join(root, 'package.json')).resolve('zod/package.json')))] },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
