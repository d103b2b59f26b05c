import { z } from 'zod';
import { EngineInputError } from '../engine/errors.ts';
import type { FeeConfig } from '../engine/execution/fee-model.ts';
import type { EngineOptions, MarketOptions } from '../engine/index.ts';
import { NO_KEY_MESSAGE, type PolygonSettings } from './polygon-settings.ts';
import { riskLimitsFromFlags, type RiskFlags } from './risk-settings.ts';
import { readBorrowRateSetting } from '../engine/portfolio/borrow-fees.ts';
import { isStrategyFile } from './strategy-file.ts';

/** What commander hands us: strings (or string lists), unchecked. */
export interface RawOptions extends RiskFlags {
  symbols?: string[];
  strategy?: string;
  params?: string;
  cash?: string;
  replay?: string;
  market?: string;
  seed?: string;
  fast?: boolean;
  duration?: string;
  fees?: string;
  slippageBps?: string;
  maxQuoteAge?: string;
  headless?: boolean;
  json?: boolean;
  theme?: string;
  quickQty?: string;
  confirmOrders?: boolean;
  /** --no-mouse: commander sets mouse false. */
  mouse?: boolean;
  refresh?: string;
  dataDir?: string;
  speed?: string;
  margin?: boolean;
  /** --pdt / --no-pdt: undefined when neither was given. */
  pdt?: boolean;
  borrowRate?: string;
}

export interface CliPlan {
  engine: EngineOptions;
  /** Run a stepped market (replay, or --fast simulation) to its end and report, instead of running live. */
  runToEnd: boolean;
  /** Play the replay at this many times its recorded pace (--speed), to watch it and trade along. */
  replaySpeed: number | undefined;
  json: boolean;
  strategyFile: string | undefined;
  theme: 'dark' | 'light' | 'mono' | undefined;
  /** Shares a B/S quick order trades. */
  quickQty: string;
  /** Every order from the screen asks before it is placed. */
  confirmOrders: boolean;
  /** Clicks and the wheel on the screen (--no-mouse: off). */
  mouse: boolean;
  /** --refresh: how often market data redraws the screen, ms (undefined: the screen's default). */
  refreshMs: number | undefined;
  /** A line for the CLI to print once, e.g. why it runs on the simulated market. */
  notice: string | undefined;
}

/** Environment variables, as the CLI reads them. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

export const NO_KEY_NOTICE = 'no POLYGON_API_KEY: running on the simulated market';

const number = (flag: string, text: string, check: (n: number) => boolean, want: string): number => {
  const value = Number(text);
  if (!/^-?\d+(\.\d+)?$/.test(text.trim()) || !check(value)) throw new EngineInputError(`${flag} must be ${want}, got "${text}"`);
  return value;
};

/**
 * Turns raw flags into engine options; every mistake is one EngineInputError line naming the flag.
 * polygon: the key and URLs already resolved from the environment and the config file.
 */
export function planFromOptions(raw: RawOptions, polygon: PolygonSettings): CliPlan {
  const { market, notice } = marketFrom(raw, polygon);
  if (raw.strategy !== undefined && raw.strategy.trim() === '') throw new EngineInputError('--strategy is empty: give a name (see --list-strategies) or a .ts file');
  const strategyFile = raw.strategy && isStrategyFile(raw.strategy) ? raw.strategy : undefined;
  const replaySpeed = speedFrom(raw.speed, market.kind);
  return {
    engine: {
      symbols: symbolsFrom(raw.symbols),
      startingCash: raw.cash ?? '100000',
      market,
      strategy: strategyFile ? undefined : raw.strategy,
      strategyParams: paramsFrom(raw.params),
      fees: raw.fees === undefined ? undefined : feesFrom(raw.fees),
      slippageBps: raw.slippageBps === undefined ? undefined : number('--slippage-bps', raw.slippageBps, (n) => n >= 0, 'a number of basis points >= 0'),
      maxQuoteAgeMs: raw.maxQuoteAge === undefined ? undefined : number('--max-quote-age', raw.maxQuoteAge, (n) => n > 0, 'a number of milliseconds > 0'),
      riskLimits: riskLimitsFromFlags(raw),
      ...(raw.margin ? { margin: true } : {}),
      ...(raw.pdt === undefined ? {} : { patternDayTrader: raw.pdt }),
      ...(raw.borrowRate === undefined ? {} : { borrowRate: borrowRateFrom(raw.borrowRate) }),
    },
    runToEnd: (market.kind === 'replay' && replaySpeed === undefined) || raw.fast === true,
    replaySpeed,
    json: raw.json === true,
    strategyFile,
    theme: themeFrom(raw.theme),
    quickQty: quickQtyFrom(raw.quickQty ?? '10'),
    confirmOrders: raw.confirmOrders === true,
    mouse: raw.mouse !== false,
    refreshMs: raw.refresh === undefined ? undefined : number('--refresh', raw.refresh, (n) => Number.isInteger(n) && n >= 100 && n <= 10_000, 'a number of milliseconds from 100 to 10000 (default 1000)'),
    notice,
  };
}

/** --borrow-rate checked here, so its error names the flag. */
function borrowRateFrom(text: string): string {
  const read = readBorrowRateSetting(text, '--borrow-rate');
  if ('error' in read) throw new EngineInputError(read.error);
  return text;
}

export function symbolsFrom(inputs: string[] | undefined): string[] | undefined {
  if (inputs === undefined) return undefined;
  const symbols = inputs.flatMap((input) => input.split(/[,\s]+/)).filter((symbol) => symbol !== '');
  if (symbols.length === 0) throw new EngineInputError('--symbols is empty: give at least one, e.g. --symbols AAPL MSFT X:BTCUSD');
  return symbols;
}

function marketFrom(raw: RawOptions, polygon: PolygonSettings): { market: MarketOptions; notice: string | undefined } {
  const apiKey = polygon.apiKey ?? '';
  const simulatedFlags = raw.fast === true || raw.seed !== undefined || raw.duration !== undefined;
  const defaultKind = raw.replay ? 'replay' : apiKey !== '' && !simulatedFlags ? 'polygon' : 'simulated';
  const kind = raw.market ?? defaultKind;
  const notice = raw.market === undefined && !raw.replay && apiKey === '' ? NO_KEY_NOTICE : undefined;
  if (kind === 'replay') {
    if (!raw.replay) throw new EngineInputError('--market replay needs a file: --replay session.jsonl');
    if (raw.fast) throw new EngineInputError('--fast is for the simulated market; a replay always runs as fast as it can');
    return { market: { kind: 'replay', file: raw.replay }, notice };
  }
  if (kind === 'polygon') {
    if (apiKey === '') throw new EngineInputError(`${NO_KEY_MESSAGE} (or use --market simulated)`);
    if (raw.replay) throw new EngineInputError('--replay plays a file, so it cannot be combined with --market polygon');
    if (raw.fast) throw new EngineInputError('--fast is for the simulated market; Polygon data arrives in real time');
    if (raw.seed !== undefined) throw new EngineInputError('--seed is for the simulated market; add --market simulated');
    if (raw.duration) throw new EngineInputError('--duration sets the length of a --fast simulated session; add --market simulated --fast');
    const { restUrl, wsUrl, delayedWsUrl, requestsPerMinute } = polygon;
    return {
      market: { kind: 'polygon', apiKey, ...(restUrl ? { restUrl } : {}), ...(wsUrl ? { wsUrl } : {}), ...(delayedWsUrl ? { delayedWsUrl } : {}), ...(requestsPerMinute ? { requestsPerMinute } : {}) },
      notice,
    };
  }
  if (kind !== 'simulated') throw new EngineInputError(`--market must be simulated, replay or polygon, got "${kind}"`);
  if (raw.replay) throw new EngineInputError('--replay plays a file, so it cannot be combined with --market simulated');
  if (raw.duration && !raw.fast) throw new EngineInputError('--duration sets the length of a --fast simulated session; add --fast');
  const market: MarketOptions = {
    kind: 'simulated',
    seed: raw.seed === undefined ? undefined : number('--seed', raw.seed, Number.isSafeInteger, 'a whole number'),
    clock: raw.fast ? 'manual' : 'live',
    durationMs: raw.duration === undefined ? undefined : durationFrom(raw.duration),
  };
  return { market, notice };
}

export function durationFrom(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new EngineInputError(`--duration must look like 90s, 30m, 6.5h or 2d, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new EngineInputError(`--duration must be longer than 0, got "${text}"`);
  return ms;
}

export function paramsFrom(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EngineInputError(`--params is not valid JSON (${(error as Error).message}); e.g. --params '{"shortWindow": 10, "longWindow": 30}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EngineInputError(`--params must be a JSON object, e.g. '{"shortWindow": 10}', got ${text}`);
  }
  return parsed as Record<string, unknown>;
}

const feeSpec = z.union([
  z.literal('zero').transform((): FeeConfig => ({ kind: 'zero' })),
  z.string().regex(/^per-share:[\d.]+(,min:[\d.]+)?$/).transform((spec): FeeConfig => {
    const [, perShare = '0', minimum] = /^per-share:([\d.]+)(?:,min:([\d.]+))?$/.exec(spec) ?? [];
    return { kind: 'per_share', perShare, minimum };
  }),
  z.string().regex(/^percent:[\d.]+$/).transform((spec): FeeConfig => ({ kind: 'percent', percent: spec.slice('percent:'.length) })),
]);

export function feesFrom(text: string): FeeConfig {
  const parsed = feeSpec.safeParse(text.trim());
  if (!parsed.success) throw new EngineInputError(`--fees must be zero, per-share:0.005,min:1 or percent:0.1, got "${text}"`);
  return parsed.data;
}

function themeFrom(name: string | undefined): CliPlan['theme'] {
  if (name === undefined) return undefined;
  if (name === 'dark' || name === 'light' || name === 'mono') return name;
  throw new EngineInputError(`--theme must be dark, light or mono, got "${name}"`);
}

function quickQtyFrom(text: string): string {
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) <= 0) throw new EngineInputError(`--quick-qty must be a number > 0, got "${text}"`);
  return text.trim();
}

/** Max 10,000x: an hour of recording in a third of a second, beyond which pacing means nothing. */
function speedFrom(text: string | undefined, market: MarketOptions['kind']): number | undefined {
  if (text === undefined) return undefined;
  if (market !== 'replay') throw new EngineInputError('--speed plays a --replay file at its recorded pace; add --replay FILE');
  return number('--speed', text, (n) => n >= 0.01 && n <= 10_000, 'a number from 0.01 to 10000 (1 = as recorded)');
}
