// A margin account's rules, as Alpaca applies Reg T and FINRA's: what it may borrow (its buying
// power), what it must keep (maintenance margin), and when it is called. Only stocks are
// marginable: crypto and forex are bought with cash, and only stocks are sold short.
// https://docs.alpaca.markets/docs/margin-and-short-selling
import { notional, type Cents, type Price } from '../money.ts';
import { assetClassOf } from '../market/symbols.ts';
import type { Ledger } from '../portfolio/ledger.ts';

/** Under this equity an account has no margin: it buys with cash and may not sell short (Reg T's $2,000). */
export const MARGIN_MIN_EQUITY: Cents = 200_000n;
/** At or above this equity a margin account may use 4x intraday and day-trade freely (FINRA's $25,000). */
export const DAY_TRADER_EQUITY: Cents = 2_500_000n;
/** Maintenance margin, in hundredths of a percent of market value: 25% of a long, 30% of a short. */
const LONG_MAINTENANCE_BPS = 2_500n;
const SHORT_MAINTENANCE_BPS = 3_000n;

export const isMarginable = (symbol: string): boolean => assetClassOf(symbol) === 'stock';

export interface MarginStatus {
  equity: Cents;
  /** What the long positions are worth, and the short ones (as a positive amount). */
  longValue: Cents;
  shortValue: Cents;
  /** What equity must stay above: 25% of the longs plus 30% of the shorts. */
  maintenanceMargin: Cents;
  /** Equity under maintenance margin: shown until prices or trades restore it. */
  marginCall: boolean;
  /** 1 under $2,000 of equity; 4 in the regular session at $25,000 or more; else 2. */
  multiplier: 1n | 2n | 4n;
  /** What the positions leave to buy (or sell short) with: multiplier × equity less the gross value held, never below zero. */
  buyingPower: Cents;
}

/** Marks the books and applies the rules; a position with no price yet is valued at its cost. */
export function marginStatus(ledger: Ledger, markOf: (symbol: string) => Price | undefined, regularSession: boolean): MarginStatus {
  let longValue = 0n;
  let shortValue = 0n;
  for (const position of ledger.positions.values()) {
    const mark = markOf(position.symbol);
    const value = mark === undefined ? position.costBasis : notional(mark, position.qty);
    if (value >= 0n) longValue += value;
    else shortValue -= value;
  }
  const equity = ledger.cash + longValue - shortValue;
  const maintenanceMargin = bps(longValue, LONG_MAINTENANCE_BPS) + bps(shortValue, SHORT_MAINTENANCE_BPS);
  const multiplier = equity < MARGIN_MIN_EQUITY ? 1n : regularSession && equity >= DAY_TRADER_EQUITY ? 4n : 2n;
  // Under $2,000 it is a cash account: what cash is left.
  const power = multiplier === 1n ? ledger.cash : multiplier * equity - longValue - shortValue;
  return { equity, longValue, shortValue, maintenanceMargin, marginCall: equity < maintenanceMargin, multiplier, buyingPower: power > 0n ? power : 0n };
}

/** A share of an amount, rounded up to the cent: a requirement is never understated. */
function bps(amount: Cents, share: bigint): Cents {
  return (amount * share + 9_999n) / 10_000n;
}
