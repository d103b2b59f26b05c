// The user's saved settings (the Polygon key and URLs, the log size, the API's client cap):
// config.json in the data directory, kept with conf, readable by the owner only.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { CommandError } from './command-error.ts';
import { limitExpects, readLimitValue, RISK_LIMIT_NAMES, type RiskLimitName } from '../engine/risk/risk-limits.ts';
import { cannotWrite } from './data-dir.ts';
import { feesFrom, paramsFrom, symbolsFrom } from './options.ts';
import { CENT_DECIMALS, parseDecimal } from '../engine/money.ts';
import { normalizeSymbol } from '../engine/market/symbols.ts';

/** What a run starts with unless a flag says otherwise (the seed's config.py): run-settings.ts. */
export const RUN_SETTINGS = ['cash', 'fees', 'slippageBps', 'symbols', 'strategy', 'params'] as const;
export type RunSetting = (typeof RUN_SETTINGS)[number];

export const CONFIG_KEYS = ['apiKey', 'restUrl', 'wsUrl', 'logMaxSize', 'strategiesDir', ...RUN_SETTINGS, ...RISK_LIMIT_NAMES] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type StoredConfig = Partial<Record<ConfigKey, string>>;

const CONFIG_NAME = 'config';

const url = (schemes: readonly string[], example: string) =>
  z.string().refine((text) => {
    try {
      return schemes.includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}, e.g. ${example}`);

// What each key accepts; the message says the expected form.
const VALUES: Record<ConfigKey, z.ZodType<string>> = {
  apiKey: z.string().regex(/^\S+$/, 'must be one word with no spaces (your Polygon API key)'),
  restUrl: url(['http:', 'https:'], 'https://api.polygon.io'),
  wsUrl: url(['ws:', 'wss:'], 'wss://socket.polygon.io'),
  logMaxSize: z.string().refine((text) => sizeInBytes(text) !== undefined, 'must be a size from 64KB to 10GB, e.g. 10MB, 500KB or 1GB'),
  strategiesDir: z.string().refine((text) => existsSync(text) && statSync(text).isDirectory(), 'must be a folder that exists, e.g. ~/my-strategies'),
  cash: z.string().refine((text) => {
    const parsed = parseDecimal(text.replace(/^\$/, '').replace(/,/g, ''), CENT_DECIMALS);
    return parsed.ok && parsed.value > 0n;
  }, 'must be dollars above 0, e.g. 100000 or 2500.50'),
  fees: z.string().refine((text) => accepts(() => feesFrom(text)), 'must be zero, per-share:0.005,min:1 or percent:0.1'),
  slippageBps: z.string().refine((text) => /^\d+(\.\d+)?$/.test(text), 'must be a number of basis points, 0 or more, e.g. 2'),
  symbols: z.string().refine((text) => accepts(() => symbolsFrom([text])) && text.split(/[,\s]+/).filter(Boolean).every((word) => normalizeSymbol(word).ok), 'must be tickers separated by spaces or commas, e.g. "AAPL MSFT X:BTCUSD"'),
  strategy: z.string().regex(/^\S+$/, 'must be a strategy name (see paper-trader --list-strategies) or a .ts file'),
  params: z.string().refine((text) => accepts(() => paramsFrom(text)), 'must be a JSON object, e.g. {"shortWindow": 10}'),
  ...riskLimitValues(),
};

/** Each risk limit takes what the --flag and the HTTP API take: dollars (orders), or off. */
function riskLimitValues(): Record<RiskLimitName, z.ZodType<string>> {
  const entries = RISK_LIMIT_NAMES.map((name) => [name, z.string().refine((text) => 'saved' in readLimitValue(name, text), limitExpects(name))]);
  return Object.fromEntries(entries) as Record<RiskLimitName, z.ZodType<string>>;
}

/** Whether a parser takes the text without throwing. */
function accepts(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** "10MB" → 10485760; undefined for anything that is not a size from 64 KB to 10 GB. */
export function sizeInBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?B)?$/i.exec(text.trim());
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * UNITS[(match[2] ?? '').toUpperCase()]!);
  return bytes >= 64 * 1024 && bytes <= 10 * 1024 ** 3 ? bytes : undefined;
}

export function configPath(dataDir: string): string {
  return join(dataDir, `${CONFIG_NAME}.json`);
}

/** A key the user typed; anything else is one line naming the known keys. */
export function configKey(text: string): ConfigKey {
  if ((CONFIG_KEYS as readonly string[]).includes(text)) return text as ConfigKey;
  throw new CommandError(`unknown config key "${text}" (known keys: ${CONFIG_KEYS.join(', ')})`);
}

/** A value for key, trimmed and checked; a bad one is one line with the expected form, naming it as `label`. */
export function configValue(key: ConfigKey, text: string, label: string = key): string {
  const value = text.trim();
  if (value === '') throw new CommandError(`${label} is empty: give a value, or use 'paper-trader config unset ${key}'`);
  const parsed = VALUES[key].safeParse(value);
  // Never echo an API key back, even a malformed one.
  if (!parsed.success) throw new CommandError(`${label} ${key === 'apiKey' ? '' : `"${value}" `}${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return parsed.data;
}

/** Opens the store in dataDir (the directory must exist); the file is created 0600 on first write. */
export function openConfig(dataDir: string): Conf<StoredConfig> {
  try {
    return new Conf<StoredConfig>({ cwd: dataDir, configName: CONFIG_NAME, configFileMode: 0o600, accessPropertiesByDotNotation: false });
  } catch (error) {
    throw unreadable(dataDir, error);
  }
}

/** Changes the store; a failed write is the data directory's one-line error. */
export function changeConfig(dataDir: string, change: (store: Conf<StoredConfig>) => void): void {
  const store = openConfig(dataDir);
  try {
    change(store);
  } catch (error) {
    throw cannotWrite(dataDir, error);
  }
}

/** The saved settings; none (and nothing created) when there is no config file yet. */
export function readConfig(dataDir: string): StoredConfig {
  if (!existsSync(configPath(dataDir))) return {};
  let store: Record<string, unknown>;
  try {
    store = openConfig(dataDir).store;
  } catch (error) {
    throw unreadable(dataDir, error);
  }
  const config: StoredConfig = {};
  for (const key of CONFIG_KEYS) {
    const value = store[key];
    if (typeof value === 'string' && value.trim() !== '') config[key] = value.trim();
  }
  return config;
}

function unreadable(dataDir: string, error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const why = error instanceof SyntaxError ? 'is not valid JSON' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  return new CommandError(`the config file ${configPath(dataDir)} ${why}: fix it or delete it and run 'paper-trader config set' again`);
}
