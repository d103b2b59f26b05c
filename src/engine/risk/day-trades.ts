// The pattern-day-trader rule's count: FINRA calls an account that makes 4 day trades in 5
// business days a pattern day trader, and under $25,000 of equity Alpaca refuses the order that
// would make the 4th. A day trade is opening and closing a position in one symbol on one day, as
// Alpaca counts it: buy, buy, sell, sell is one; buy, sell, buy, sell is two.
// https://docs.alpaca.markets/docs/user-protection#pattern-day-trader-pdt-protection
import { type Cents, formatUsd, type Qty } from '../money.ts';
import { DAY_TRADER_EQUITY } from './margin.ts';
import type { OrderClass, Side } from '../orders/order.ts';
import { addDays, isWeekendDate, newYorkDate } from '../market/trading-day.ts';

/** The business days counted, today among them. */
const WINDOW_DAYS = 5;
/** Day trades allowed in the window under $25,000 of equity: the next is refused. */
export const DAY_TRADES_ALLOWED = 3;

export class DayTrades {
  /** New York date → day trades made that day. */
  readonly #byDate = new Map<string, number>();
  /** symbol → whether its last fill today opened (so the next closing fill is a day trade). */
  #openedToday = new Map<string, boolean>();
  #today = '';

  /** A fill of `qty` on `side` that met the position `before` (negative: short). */
  record(symbol: string, side: Side, before: Qty, qty: Qty, time: number): void {
    this.#turnTo(newYorkDate(time));
    const closes = side === 'buy' ? before < 0n : before > 0n;
    const opens = side === 'buy' ? before + qty > 0n : before - qty < 0n;
    if (closes && this.#openedToday.get(symbol) === true) {
      this.#byDate.set(this.#today, (this.#byDate.get(this.#today) ?? 0) + 1);
      this.#openedToday.set(symbol, false);
    }
    if (opens) this.#openedToday.set(symbol, true);
  }

  /** Whether an order on `side` would close some of a position `held` that was opened today. */
  wouldDayTrade(symbol: string, side: Side, held: Qty, now: number): boolean {
    this.#turnTo(newYorkDate(now));
    const closes = side === 'buy' ? held < 0n : held > 0n;
    return closes && this.#openedToday.get(symbol) === true;
  }

  /** Day trades in the last five business days, today's included. */
  count(now: number): number {
    const days = businessDaysEndingOn(newYorkDate(now), WINDOW_DAYS);
    return days.reduce((sum, date) => sum + (this.#byDate.get(date) ?? 0), 0);
  }

  #turnTo(date: string): void {
    if (date === this.#today) return;
    this.#today = date;
    this.#openedToday = new Map();
  }
}

/**
 * `date` and the weekdays before it, `count` weekdays in all: a weekend's day trades (crypto, a
 * simulated market) count too. A holiday counts as a business day here, so the window may reach
 * a day less far back than FINRA's.
 */
function businessDaysEndingOn(date: string, count: number): string[] {
  const days = [date];
  let weekdays = 0;
  for (let day = date; weekdays < count; day = addDays(day, -1)) {
    if (isWeekendDate(day)) continue;
    weekdays++;
    if (day !== date) days.push(day);
  }
  return days;
}

/**
 * Why the rule refuses an order on `side` of `symbol` (held: the position now), or undefined. A
 * bracket or oto could be a day trade by itself: its exits close what its entry opens.
 */
export function patternDayTradeRefusal(dayTrades: DayTrades, order: { symbol: string; side: Side; orderClass: OrderClass }, held: Qty, equity: Cents, now: number): string | undefined {
  if (equity >= DAY_TRADER_EQUITY) return undefined;
  const linked = order.orderClass === 'bracket' || order.orderClass === 'oto';
  if (!linked && !dayTrades.wouldDayTrade(order.symbol, order.side, held, now)) return undefined;
  const count = dayTrades.count(now);
  if (count < DAY_TRADES_ALLOWED) return undefined;
  const what = linked ? `this ${order.orderClass}, whose exits could close today what its entry opens,` : `this order, which would close the ${order.symbol} position opened today,`;
  return (
    `pattern day trader rule: ${count} day trades in the last 5 business days with equity ${formatUsd(equity)}, under $25,000, ` +
    `so ${what} is refused; hold it overnight, or turn the rule off (--no-pdt, or pattern_day_trader false in PATCH /api/paper/risk)`
  );
}
