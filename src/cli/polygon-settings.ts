// The Polygon key and URLs every command uses: the environment wins over the config file.
import { type ConfigKey, readConfig, type StoredConfig } from './config-store.ts';
import type { CliEnv } from './options.ts';

export interface PolygonSettings {
  apiKey?: string;
  restUrl?: string;
  wsUrl?: string;
  /** The 15-minute-delayed WebSocket host stocks fall back to on a plan without real-time data. */
  delayedWsUrl?: string;
  /** POLYGON_REQUESTS_PER_MINUTE: the plan's REST rate, kept on this side (the free plan: 5). */
  requestsPerMinute?: number;
  /** Where apiKey came from, for messages that must not show it. */
  apiKeySource?: 'env' | 'config';
}

export const NO_KEY_MESSAGE = "no Polygon API key: set POLYGON_API_KEY or run 'paper-trader config set apiKey'";

/** The environment variable that overrides each config key. */
export const ENV_VAR_OF: Record<ConfigKey, string> = {
  apiKey: 'POLYGON_API_KEY',
  restUrl: 'POLYGON_REST_URL',
  wsUrl: 'POLYGON_WS_URL',
  logMaxSize: 'PAPER_TRADER_LOG_MAX_SIZE',
  strategiesDir: 'PAPER_TRADER_STRATEGIES_DIR',
  cash: 'PAPER_TRADER_CASH',
  fees: 'PAPER_TRADER_FEES',
  slippageBps: 'PAPER_TRADER_SLIPPAGE_BPS',
  symbols: 'PAPER_TRADER_SYMBOLS',
  strategy: 'PAPER_TRADER_STRATEGY',
  params: 'PAPER_TRADER_PARAMS',
  maxPositionValue: 'PAPER_TRADER_MAX_POSITION_VALUE',
  maxOrderNotional: 'PAPER_TRADER_MAX_ORDER_NOTIONAL',
  maxOpenOrders: 'PAPER_TRADER_MAX_OPEN_ORDERS',
  dailyLossLimit: 'PAPER_TRADER_DAILY_LOSS_LIMIT',
};

/** env POLYGON_API_KEY / POLYGON_REST_URL / POLYGON_WS_URL over the config's apiKey / restUrl / wsUrl. */
export function resolvePolygonSettings(env: CliEnv, config: StoredConfig = {}): PolygonSettings {
  const pick = (key: ConfigKey) => env[ENV_VAR_OF[key]]?.trim() || config[key]?.trim() || undefined;
  const apiKey = pick('apiKey');
  const restUrl = pick('restUrl');
  const wsUrl = pick('wsUrl');
  const delayedWsUrl = env['POLYGON_WS_DELAYED_URL']?.trim() || undefined;
  const rate = Number(env['POLYGON_REQUESTS_PER_MINUTE']?.trim() || NaN);
  return {
    ...(delayedWsUrl ? { delayedWsUrl } : {}),
    ...(Number.isInteger(rate) && rate > 0 ? { requestsPerMinute: rate } : {}),
    ...(apiKey ? { apiKey, apiKeySource: env[ENV_VAR_OF.apiKey]?.trim() ? 'env' : 'config' } : {}),
    ...(restUrl ? { restUrl } : {}),
    ...(wsUrl ? { wsUrl } : {}),
  };
}

/** The settings from the environment and the config file of a data directory (already resolved by dataDir). */
export function loadPolygonSettings(dir: string, env: CliEnv = process.env): PolygonSettings {
  return resolvePolygonSettings(env, readConfig(dir));
}
