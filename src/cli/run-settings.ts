// What a run starts with unless its flags say otherwise, as the seed's config.py held it: starting
// cash, commission (fees), slippage, the watchlist, the strategy and its params. Each comes from its
// flag, else its environment variable (PAPER_TRADER_CASH and kin), else the config file.
import { configValue, RUN_SETTINGS, type RunSetting, type StoredConfig } from './config-store.ts';
import type { CliEnv, RawOptions } from './options.ts';
import { ENV_VAR_OF } from './polygon-settings.ts';

/** The raw flags with each run setting not given as a flag taken from the environment or the config, checked (one line naming where a bad one came from). */
export function withRunDefaults(raw: RawOptions, env: CliEnv, config: StoredConfig): RawOptions {
  const filled: RawOptions = { ...raw };
  for (const key of RUN_SETTINGS) {
    if (raw[key] !== undefined) continue;
    const variable = ENV_VAR_OF[key];
    const fromEnv = env[variable]?.trim();
    const text = fromEnv || config[key];
    if (!text) continue;
    const value = configValue(key, text, fromEnv ? variable : `the config's ${key}`);
    setRaw(filled, key, value);
  }
  return filled;
}

function setRaw(raw: RawOptions, key: RunSetting, value: string): void {
  if (key === 'symbols') raw.symbols = value.split(/[,\s]+/).filter(Boolean);
  else raw[key] = value;
}
