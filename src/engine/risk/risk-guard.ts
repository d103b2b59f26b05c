// The account's risk limits in force, its kill switch, and the day's loss. Every order is checked
// here after the cash and share checks; an order that only closes a position is always taken, so a
// trader can flatten however the account is stopped.
import { CENT_DECIMALS, type Cents, formatCents, formatPrice, formatQty, formatUsd, notional, parseDecimal, type Price, type Qty } from '../money.ts';
import { newYorkDate, newYorkWallTime } from '../market/trading-day.ts';
import { applyLimitChanges, effectiveLimits, type RiskLimits, type SavedLimits } from './risk-limits.ts';
import { formatBorrowRate, readBorrowRate, type BorrowRate } from '../portfolio/borrow-fees.ts';

/** What an account saves of its risk settings (in its journal, with its books). */
export interface SavedRisk {
  limits: SavedLimits;
  killSwitch: boolean;
  /** A margin account's pattern-day-trader rule (day-trades.ts): absent is on. */
  patternDayTrader?: boolean | undefined;
  /** A margin account's stock borrow rate, percent a year (borrow-fees.ts): absent is off. */
  borrowRate?: string | undefined;
  /** The New York day the loss is counted for: the equity it started at, and why trading halted, if it did. */
  day?: { date: string; startEquity: string; halted?: string } | undefined;
}

/** Saved risk settings read back, each field checked; a string says what is wrong. */
export function savedRiskFrom(raw: unknown): SavedRisk | string {
  if (raw === null || typeof raw !== 'object') return 'are not an object';
  const { limits, killSwitch, day, patternDayTrader, borrowRate } = raw as Record<string, unknown>;
  if (typeof killSwitch !== 'boolean') return 'have no kill switch state';
  if (patternDayTrader !== undefined && typeof patternDayTrader !== 'boolean') return 'have a bad pattern day trader setting';
  if (borrowRate !== undefined && (typeof borrowRate !== 'string' || 'error' in readBorrowRate(borrowRate))) return 'have a bad borrow rate';
  const pdt = { ...(patternDayTrader === undefined ? {} : { patternDayTrader }), ...(borrowRate === undefined ? {} : { borrowRate: borrowRate as string }) };
  const checked = applyLimitChanges({}, limits);
  if ('error' in checked) return `are not valid (${checked.error})`;
  if (day !== undefined) {
    const { date, startEquity, halted } = (day ?? {}) as Record<string, unknown>;
    if (typeof date !== 'string' || typeof startEquity !== 'string' || !parseDecimal(startEquity, CENT_DECIMALS).ok || (halted !== undefined && typeof halted !== 'string')) return 'have a bad day record';
    return { limits: checked.saved, killSwitch, ...pdt, day: { date, startEquity, ...(halted === undefined ? {} : { halted }) } };
  }
  return { limits: checked.saved, killSwitch, ...pdt };
}

/** An order as the limits see it: what it opens, at what price. */
export interface RiskOrder {
  symbol: string;
  /** The whole order's qty (its value is checked against the max order notional). */
  qty: Qty;
  /** What it still buys or sells (a replaced order's fills left out). */
  rest: Qty;
  /** The price its value is counted at: its limit, its stop, or the market. */
  price: Price | undefined;
  /** Whether it adds to a position (a buy, in a cash account), rather than only closing one. */
  opening: boolean;
  /** Orders it adds to those open: 1, and its legs. */
  adds: number;
}

/** What the limits ask of the account, only when a limit needs it. */
export interface RiskAccount {
  /** Open orders, working or held (a replaced order left out). */
  openOrders(): number;
  /** The symbol's position plus what its working buys still buy (a replaced order left out). */
  exposure(): Qty;
}

export class RiskGuard {
  #saved: SavedRisk;
  readonly #defaults: SavedLimits;
  #limits: RiskLimits;
  /** When the counted day ends (the next New York midnight). */
  #dayEndsAt = 0;
  /** The equity last observed, to tell whether a new limit still holds the day's loss. */
  #lastEquity = 0n;

  constructor(saved: SavedRisk | undefined, defaults: SavedLimits = {}) {
    this.#saved = saved ?? { limits: {}, killSwitch: false };
    this.#defaults = defaults;
    this.#limits = effectiveLimits(this.#saved.limits, defaults);
  }

  get limits(): RiskLimits {
    return this.#limits;
  }

  get saved(): SavedRisk {
    return this.#saved;
  }

  get killSwitch(): boolean {
    return this.#saved.killSwitch;
  }

  /** Why new positions are refused for the rest of the day, if the daily loss limit was hit. */
  get halted(): string | undefined {
    return this.#saved.day?.halted;
  }

  /** Changes the account's limits (all or none); the error when one is not valid. */
  setLimits(changes: unknown): string | undefined {
    const applied = applyLimitChanges(this.#saved.limits, changes);
    if ('error' in applied) return applied.error;
    this.#saved = { ...this.#saved, limits: applied.saved };
    this.#limits = effectiveLimits(applied.saved, this.#defaults);
    // A higher limit (or none) lifts the day's halt; the loss so far still counts.
    const day = this.#saved.day;
    if (day?.halted && (this.#limits.dailyLossLimit === undefined || centsOf(day.startEquity) - this.#lastEquity < this.#limits.dailyLossLimit)) {
      this.#saved = { ...this.#saved, day: { date: day.date, startEquity: day.startEquity } };
    }
    return undefined;
  }

  setKillSwitch(on: boolean): void {
    this.#saved = { ...this.#saved, killSwitch: on };
  }

  /** Whether a margin account's pattern-day-trader rule refuses a 4th day trade in 5 business days under $25,000. */
  get patternDayTrader(): boolean {
    return this.#saved.patternDayTrader ?? true;
  }

  setPatternDayTrader(on: boolean): void {
    const { patternDayTrader: _, ...rest } = this.#saved;
    this.#saved = on ? rest : { ...rest, patternDayTrader: false };
  }

  /** What a margin account's shorts pay to borrow, percent a year; undefined: nothing (the default). */
  get borrowRate(): BorrowRate | undefined {
    const saved = this.#saved.borrowRate;
    const read = saved === undefined ? undefined : readBorrowRate(saved);
    return read && 'rate' in read ? read.rate : undefined;
  }

  setBorrowRate(rate: BorrowRate | undefined): void {
    const { borrowRate: _, ...rest } = this.#saved;
    this.#saved = rate === undefined ? rest : { ...rest, borrowRate: formatBorrowRate(rate) };
  }

  /** Whether any limit, the kill switch or a halt may refuse an order (else checking is skipped). */
  get active(): boolean {
    return this.#saved.killSwitch || this.halted !== undefined || Object.keys(this.#limits).length > 0;
  }

  /** Why this order is refused, or undefined when the limits allow it. */
  check(order: RiskOrder, account: RiskAccount): string | undefined {
    if (!order.opening) return undefined;
    if (this.#saved.killSwitch) return 'the kill switch is on: no order that opens a position is taken until it is released (orders that close one still are)';
    if (this.halted) return `trading is halted for the day: ${this.halted}; orders that close a position are still taken`;
    const { maxOpenOrders, maxPositionValue } = this.#limits;
    const open = maxOpenOrders === undefined ? 0 : account.openOrders();
    if (maxOpenOrders !== undefined && open + order.adds > maxOpenOrders) {
      return `${open} orders are open and this one adds ${order.adds}: the account's max open orders is ${maxOpenOrders} (cancel one first)`;
    }
    const notionalError = this.#checkNotional(order);
    if (notionalError) return notionalError;
    if (maxPositionValue !== undefined && order.price !== undefined) {
      const qty = account.exposure() + order.rest;
      const value = notional(order.price, qty);
      if (value > maxPositionValue) {
        return `${order.symbol} would be worth ${formatUsd(value)} with this order (${formatQty(qty)} at about ${formatPrice(order.price)}), over the account's max position value of ${formatUsd(maxPositionValue)} per symbol`;
      }
    }
    return undefined;
  }

  #checkNotional(order: RiskOrder): string | undefined {
    const { maxOrderNotional } = this.#limits;
    if (maxOrderNotional === undefined || order.price === undefined) return undefined;
    const value = notional(order.price, order.qty);
    if (value <= maxOrderNotional) return undefined;
    return `this order is worth ${formatUsd(value)} (${formatQty(order.qty)} ${order.symbol} at about ${formatPrice(order.price)}), over the account's max order notional of ${formatUsd(maxOrderNotional)}`;
  }

  /** Whether the day's loss needs the account's equity after each input. */
  get watchesLoss(): boolean {
    return this.#limits.dailyLossLimit !== undefined;
  }

  /**
   * Counts the day's loss from `equity` at `now`: the first equity of a New York day starts it.
   * Returns the reason when this equity is the one that hits the daily loss limit.
   */
  observe(now: number, equity: Cents): string | undefined {
    this.#lastEquity = equity;
    if (now >= this.#dayEndsAt || this.#saved.day === undefined) {
      const date = newYorkDate(now);
      this.#dayEndsAt = newYorkWallTime(now, 1, 0);
      if (this.#saved.day?.date !== date) this.#saved = { ...this.#saved, day: { date, startEquity: formatCents(equity) } };
    }
    const day = this.#saved.day!;
    const limit = this.#limits.dailyLossLimit;
    if (limit === undefined || day.halted) return undefined;
    const loss = centsOf(day.startEquity) - equity;
    if (loss < limit) return undefined;
    const halted = `the day's loss of ${formatUsd(loss)} reached the daily loss limit of ${formatUsd(limit)}`;
    this.#saved = { ...this.#saved, day: { ...day, halted } };
    return halted;
  }

  /** The day's PnL so far (undefined before the first equity of the day). */
  dayPnl(equity: Cents): Cents | undefined {
    const day = this.#saved.day;
    return day === undefined ? undefined : equity - centsOf(day.startEquity);
  }
}

/** Saved cents text back to cents (it was written by formatCents). */
const centsOf = (text: string): Cents => {
  const parsed = parseDecimal(text, CENT_DECIMALS);
  return parsed.ok ? parsed.value : 0n;
};

/** The risk settings as the API shows them: limits in force (null: none), the kill switch, the day. */
export interface RiskView {
  limits: { maxPositionValue: string | null; maxOrderNotional: string | null; maxOpenOrders: number | null; dailyLossLimit: string | null };
  killSwitch: boolean;
  /** Why orders that open positions are refused for the rest of the day, or null. */
  halted: string | null;
  /** The day's PnL so far (from the first equity seen this New York day), or null before it. */
  dayPnl: string | null;
  /** Whether a margin account's pattern-day-trader rule is on. */
  patternDayTrader: boolean;
  /** What a margin account's shorts pay to borrow, percent a year, or null (nothing). */
  borrowRate: string | null;
}

export function riskView(guard: RiskGuard, equity: Cents): RiskView {
  const { maxPositionValue, maxOrderNotional, maxOpenOrders, dailyLossLimit } = guard.limits;
  const money = (value: Cents | undefined): string | null => (value === undefined ? null : formatCents(value));
  const dayPnl = guard.dayPnl(equity);
  return {
    limits: { maxPositionValue: money(maxPositionValue), maxOrderNotional: money(maxOrderNotional), maxOpenOrders: maxOpenOrders ?? null, dailyLossLimit: money(dailyLossLimit) },
    killSwitch: guard.killSwitch,
    halted: guard.halted ?? null,
    dayPnl: money(dayPnl),
    patternDayTrader: guard.patternDayTrader,
    borrowRate: guard.saved.borrowRate ?? null,
  };
}
