// An account's risk limits: what they are called everywhere (the engine's camelCase, the HTTP API's
// and the config's snake_case, the CLI's --kebab-case), and how a value is read. Money limits are
// whole cents; "off" (or null) turns a limit off.
import { CENT_DECIMALS, type Cents, formatCents, formatUsd, parseDecimal } from '../money.ts';
import { closestMatch } from '../closest-match.ts';

export interface RiskLimits {
  /** The most a symbol's position may be worth, counting what working buys would add. */
  maxPositionValue?: Cents | undefined;
  /** The most one order may be worth: qty at its limit, its stop, or the market. */
  maxOrderNotional?: Cents | undefined;
  /** The most orders open at once (a bracket's legs count). */
  maxOpenOrders?: number | undefined;
  /** The most the account may lose in a day (from the first equity seen that New York day): then it stops opening positions until the next day. */
  dailyLossLimit?: Cents | undefined;
}

export type RiskLimitName = keyof RiskLimits;
export const RISK_LIMIT_NAMES: readonly RiskLimitName[] = ['maxPositionValue', 'maxOrderNotional', 'maxOpenOrders', 'dailyLossLimit'];

/** What a limit was set to: a value as text, or "off" (so a default from the config does not apply). */
export type SavedLimits = Partial<Record<RiskLimitName, string>>;

/** A change as a person or a program gives it: a number, a decimal string, or null / "off". */
export type RiskLimitChanges = Partial<Record<RiskLimitName, string | number | null>>;

export const snakeCase = (name: RiskLimitName): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const kebabCase = (name: RiskLimitName): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const EXAMPLES: Record<RiskLimitName, string> = { maxPositionValue: '50000', maxOrderNotional: '10000', maxOpenOrders: '20', dailyLossLimit: '1000' };

/** A limit's name in any of its spellings (maxOrderNotional, max_order_notional, max-order-notional). */
export function riskLimitName(text: string): RiskLimitName | undefined {
  const plain = text.replace(/[-_]/g, '').toLowerCase();
  return RISK_LIMIT_NAMES.find((name) => name.toLowerCase() === plain);
}

/** What a limit takes, e.g. "must be an amount in dollars above 0 such as 1000, or off". */
export const limitExpects = (name: RiskLimitName): string =>
  `must be ${name === 'maxOpenOrders' ? 'a whole number of orders' : 'an amount in dollars'} above 0 such as ${EXAMPLES[name]}, or off`;

/** Reads a change's value as saved text ("off" or a plain decimal); a string is the error, naming it as `label`. */
export function readLimitValue(name: RiskLimitName, value: unknown, label = `risk limit ${snakeCase(name)}`): { saved: string } | { error: string } {
  if (value === null || (typeof value === 'string' && value.trim().toLowerCase() === 'off')) return { saved: 'off' };
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  const fail = { error: `${label} ${limitExpects(name)}, got ${JSON.stringify(value)}` };
  if (text === undefined) return fail;
  if (name === 'maxOpenOrders') return /^\d{1,9}$/.test(text) && Number(text) > 0 ? { saved: String(Number(text)) } : fail;
  const parsed = parseDecimal(text.replace(/^\$/, '').replace(/,/g, ''), CENT_DECIMALS);
  if (!parsed.ok || parsed.value <= 0n || parsed.value > 10n ** 17n) return fail;
  return { saved: formatCents(parsed.value) };
}

/** The limits in force: those set on the account, else the defaults (the config's); "off" is off. */
export function effectiveLimits(saved: SavedLimits, defaults: SavedLimits): RiskLimits {
  const limits: RiskLimits = {};
  for (const name of RISK_LIMIT_NAMES) {
    const text = saved[name] ?? defaults[name];
    if (text === undefined || text === 'off') continue;
    if (name === 'maxOpenOrders') limits.maxOpenOrders = Number(text);
    else limits[name] = (parseDecimal(text, CENT_DECIMALS) as { value: bigint }).value;
  }
  return limits;
}

/** Checks every change before any applies; the saved limits with them applied, or the first error. */
export function applyLimitChanges(saved: SavedLimits, changes: unknown): { saved: SavedLimits } | { error: string } {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    return { error: 'risk limits must be an object such as {"max_order_notional": "10000", "daily_loss_limit": null}' };
  }
  const next: SavedLimits = { ...saved };
  for (const [key, value] of Object.entries(changes)) {
    const name = riskLimitName(key);
    if (!name) {
      const near = closestMatch(key, RISK_LIMIT_NAMES.map(snakeCase), (text) => text.replace(/[-_]/g, '').toLowerCase());
      return { error: `unknown risk limit "${key}"${near ? ` (did you mean ${near}?)` : ''}: the limits are ${RISK_LIMIT_NAMES.map(snakeCase).join(', ')}` };
    }
    if (value === undefined) continue;
    const read = readLimitValue(name, value);
    if ('error' in read) return read;
    next[name] = read.saved;
  }
  return { saved: next };
}

/** The limits in force in one line, for the log: "max order notional $10000.00, daily loss limit $1000.00". */
export function describeLimits(limits: RiskLimits): string {
  const parts = RISK_LIMIT_NAMES.flatMap((name) => {
    const value = limits[name];
    if (value === undefined) return [];
    const label = snakeCase(name).replace(/_/g, ' ');
    return [`${label} ${typeof value === 'number' ? value : `${formatUsd(value)}`}`];
  });
  return parts.length === 0 ? 'none' : parts.join(', ');
}
