// Risk limits as the command line gives them: --max-order-notional and its kin set the account's
// own (saved with it, so they hold on the next run); the config's keys, or the environment's
// PAPER_TRADER_MAX_ORDER_NOTIONAL and kin, are defaults for an account that has not set its own.
import { EngineInputError } from '../engine/errors.ts';
import { kebabCase, readLimitValue, RISK_LIMIT_NAMES, type RiskLimitChanges, type RiskLimitName } from '../engine/risk/risk-limits.ts';
import { readConfig, type StoredConfig } from './config-store.ts';
import type { CliEnv } from './options.ts';
import { ENV_VAR_OF } from './polygon-settings.ts';

export type RiskFlags = Partial<Record<RiskLimitName, string>>;

/** The limits given as flags, checked (one EngineInputError line naming the flag); undefined when none was. */
export function riskLimitsFromFlags(flags: RiskFlags): RiskLimitChanges | undefined {
  const changes: RiskLimitChanges = {};
  for (const name of RISK_LIMIT_NAMES) {
    const given = flags[name];
    if (given === undefined) continue;
    const read = readLimitValue(name, given, `--${kebabCase(name)}`);
    if ('error' in read) throw new EngineInputError(read.error);
    changes[name] = read.saved;
  }
  return Object.keys(changes).length === 0 ? undefined : changes;
}

/** The defaults: each limit from its environment variable, else the config file. */
export function riskDefaultsFrom(env: CliEnv, config: StoredConfig): RiskLimitChanges {
  const defaults: RiskLimitChanges = {};
  for (const name of RISK_LIMIT_NAMES) {
    const variable = ENV_VAR_OF[name];
    const fromEnv = env[variable]?.trim();
    const text = fromEnv || config[name]?.trim();
    if (!text) continue;
    const read = readLimitValue(name, text, fromEnv ? variable : `the config's ${name}`);
    if ('error' in read) throw new EngineInputError(read.error);
    defaults[name] = read.saved;
  }
  return defaults;
}

export const loadRiskDefaults = (dir: string, env: CliEnv = process.env): RiskLimitChanges => riskDefaultsFrom(env, readConfig(dir));
