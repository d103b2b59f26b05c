import { divRound, minBigint, notional, type Cents, type Price, type Qty } from '../money.ts';
import type { Side } from '../orders/order.ts';

export interface Position {
  readonly symbol: string;
  qty: Qty;
  /** Cash paid for the shares still held, in cents. */
  costBasis: Cents;
}

export interface LedgerEntry {
  symbol: string;
  side: Side;
  qty: Qty;
  price: Price;
  fee: Cents;
}

export interface FillAccounting {
  notional: Cents;
  realizedPnl: Cents;
}

/**
 * The account's books, cash or margin. Rounding rule, the only one: each fill's notional and fee
 * are rounded to the cent half away from zero; cost basis is the cents actually paid (a short's,
 * minus the cents it brought in); closing part of a position releases its pro-rata share of the
 * basis, rounded the same way, and the last unit releases the rest. So cash + Σ costBasis =
 * starting cash + realized PnL − fees, exactly, always.
 */
export class Ledger {
  readonly startingCash: Cents;
  cash: Cents;
  realizedPnl: Cents = 0n;
  /** Realized PnL per symbol (the same sells as realizedPnl), kept as fills come so no view re-adds them. */
  readonly realizedBySymbol = new Map<string, Cents>();
  feesPaid: Cents = 0n;
  /** Dividends paid into cash (they count in realized PnL too: income the account has taken). */
  dividendsPaid: Cents = 0n;
  /** Borrow fees a margin account's shorts paid (they count in realized PnL too, as a cost). */
  borrowFeesPaid: Cents = 0n;
  readonly positions = new Map<string, Position>();

  /** A margin account's ledger may sell what it does not hold: a short, a negative qty whose cost basis is the proceeds (negative). */
  readonly shorts: boolean;

  constructor(startingCash: Cents, options: { shorts?: boolean } = {}) {
    this.startingCash = startingCash;
    this.cash = startingCash;
    this.shorts = options.shorts ?? false;
  }

  positionQty(symbol: string): Qty {
    return this.positions.get(symbol)?.qty ?? 0n;
  }

  /**
   * A fill: the part that closes a position (a sell of a long, a buy of a short) releases its
   * pro-rata basis and realizes the difference; the part that opens one (or, past zero, the other
   * side) adds its value to the basis, negative for a short. The two parts' values add up to the
   * fill's notional exactly, so cash + Σ basis = starting cash + realized − fees still holds.
   */
  apply(entry: LedgerEntry): FillAccounting {
    const value = notional(entry.price, entry.qty);
    let position = this.positions.get(entry.symbol);
    const held = position?.qty ?? 0n;
    // Checked before anything changes, so a refused fill leaves no fee and no empty position behind.
    if (entry.qty <= 0n) throw new RangeError(`fill qty must be > 0, got ${entry.qty} in ${entry.symbol}`);
    if (!this.shorts && entry.side === 'sell' && entry.qty > held) {
      throw new RangeError(`sell of ${entry.qty} exceeds position ${held} in ${entry.symbol}`);
    }
    if (!position) {
      position = { symbol: entry.symbol, qty: 0n, costBasis: 0n };
      this.positions.set(entry.symbol, position);
    }
    this.feesPaid += entry.fee;
    const buy = entry.side === 'buy';
    this.cash += buy ? -value - entry.fee : value - entry.fee;
    const against = buy ? held < 0n : held > 0n;
    const closing = against ? minBigint(entry.qty, buy ? -held : held) : 0n;
    const closeValue = closing === entry.qty ? value : notional(entry.price, closing);
    let realized = 0n;
    if (closing > 0n) {
      // A long's basis is what it cost; a short's is minus what it brought in.
      const released = divRound(position.costBasis * closing, buy ? -held : held);
      realized = buy ? -released - closeValue : closeValue - released;
      position.costBasis -= released;
      position.qty += buy ? closing : -closing;
    }
    const opening = entry.qty - closing;
    if (opening > 0n) {
      position.qty += buy ? opening : -opening;
      position.costBasis += buy ? value - closeValue : -(value - closeValue);
    }
    if (realized !== 0n || closing > 0n) {
      this.realizedPnl += realized;
      this.realizedBySymbol.set(entry.symbol, (this.realizedBySymbol.get(entry.symbol) ?? 0n) + realized);
    }
    if (position.qty === 0n) this.positions.delete(entry.symbol);
    return { notional: value, realizedPnl: realized };
  }
}

/**
 * The ledger's side of corporate actions. A split changes a position's qty, never its cost basis:
 * what was paid for the shares is what was paid, so the average price moves by the ratio and the
 * value stays. A dividend paid is cash in, realized as income (a short's is cash out, to the lender).
 */
export function splitPosition(ledger: Ledger, symbol: string, qtyAfter: Qty): void {
  const position = ledger.positions.get(symbol);
  if (!position) throw new RangeError(`no position in ${symbol} to split`);
  if (qtyAfter === 0n || qtyAfter > 0n !== position.qty > 0n) throw new RangeError(`a split cannot take ${position.qty} of ${symbol} to ${qtyAfter}`);
  position.qty = qtyAfter;
}

export function payDividend(ledger: Ledger, symbol: string, amount: Cents): void {
  ledger.dividendsPaid += amount;
  realizeCash(ledger, symbol, amount);
}

/** A short's borrow fee: cash out, a realized cost of the position (kept apart from trading fees, which are per fill). */
export function chargeBorrowFee(ledger: Ledger, symbol: string, amount: Cents): void {
  ledger.borrowFeesPaid -= amount;
  realizeCash(ledger, symbol, amount);
}

function realizeCash(ledger: Ledger, symbol: string, amount: Cents): void {
  ledger.cash += amount;
  ledger.realizedPnl += amount;
  ledger.realizedBySymbol.set(symbol, (ledger.realizedBySymbol.get(symbol) ?? 0n) + amount);
}

export interface Valuation {
  marketValue: Cents;
  /** Σ |position value|: longs and shorts alike, what is at stake in the market. */
  grossValue: Cents;
  unrealizedPnl: Cents;
  totalEquity: Cents;
}

/** Marks the positions to market; a position with no price yet is valued at its cost. */
export function valuePortfolio(ledger: Ledger, markOf: (symbol: string) => Price | undefined): Valuation {
  let marketValue = 0n;
  let grossValue = 0n;
  let costBasis = 0n;
  for (const position of ledger.positions.values()) {
    const mark = markOf(position.symbol);
    const value = mark === undefined ? position.costBasis : notional(mark, position.qty);
    marketValue += value;
    grossValue += value < 0n ? -value : value;
    costBasis += position.costBasis;
  }
  return { marketValue, grossValue, unrealizedPnl: marketValue - costBasis, totalEquity: ledger.cash + marketValue };
}
