// Splits and dividends of held stocks, as Polygon's reference data announces them
// (/v3/reference/splits, /v3/reference/dividends), and what each did to the account: the records
// the journal keeps beside the fills. A split takes effect at the start of its execution date; a
// dividend is owed on the shares held at the start of its ex-date and paid on its pay date.
import { type Cents, formatPrice, formatQty, formatUsd, notional, type Price, type Qty } from '../money.ts';
import type { Lot } from './attribution.ts';

/** A split as announced: `to` new shares for every `from` old ones (4-for-1: to 4, from 1). */
export interface SplitEvent {
  /** The provider's id: an event is applied once, however often it is announced. */
  readonly id: string;
  readonly symbol: string;
  /** YYYY-MM-DD (New York). */
  readonly date: string;
  readonly from: bigint;
  readonly to: bigint;
}

/** A cash dividend as announced, per share. */
export interface DividendEvent {
  readonly id: string;
  readonly symbol: string;
  readonly exDate: string;
  readonly payDate: string;
  readonly perShare: Price;
}

export interface AnnouncedActions {
  splits: SplitEvent[];
  dividends: DividendEvent[];
}

/** Where announced actions come from: Polygon's reference data, or a list a backtest or test gives. */
export interface CorporateActionSource {
  /** Actions of these stocks dated from `from` through `to` (YYYY-MM-DD, inclusive). */
  actions(symbols: readonly string[], from: string, to: string): Promise<AnnouncedActions>;
}

/** A list of actions given up front (a backtest's, or a test's). */
export function listedActions(list: Partial<AnnouncedActions>): CorporateActionSource {
  return {
    actions: async (symbols, from, to) => {
      const wanted = (symbol: string, date: string): boolean => symbols.includes(symbol) && date >= from && date <= to;
      return {
        splits: (list.splits ?? []).filter((split) => wanted(split.symbol, split.date)),
        dividends: (list.dividends ?? []).filter((dividend) => wanted(dividend.symbol, dividend.exDate) || wanted(dividend.symbol, dividend.payDate)),
      };
    },
  };
}

/** What an action did to the account, saved in order with the fills (`afterFills`: how many fills came before it). */
export type ActionRecord =
  | {
      readonly id: string;
      readonly kind: 'split';
      readonly source: string;
      readonly symbol: string;
      readonly date: string;
      readonly from: bigint;
      readonly to: bigint;
      readonly qtyBefore: Qty;
      readonly qtyAfter: Qty;
      readonly time: number;
      readonly afterFills: number;
      /** Met after its day began to trade: each owner's lot after it, worked out from what each held at its start. */
      readonly lots?: readonly Lot[] | undefined;
    }
  | {
      readonly id: string;
      /** Owed: the shares held at the start of the ex-date, at the dividend per share. */
      readonly kind: 'dividend';
      readonly source: string;
      readonly symbol: string;
      readonly exDate: string;
      readonly payDate: string;
      readonly perShare: Price;
      readonly qty: Qty;
      readonly amount: Cents;
      readonly time: number;
      readonly afterFills: number;
    }
  | {
      readonly id: string;
      /** Paid: the owed amount comes into cash (a short's goes out). `source` is the owed record's id. */
      readonly kind: 'payment';
      readonly source: string;
      readonly symbol: string;
      readonly amount: Cents;
      readonly time: number;
      readonly afterFills: number;
    }
  | {
      readonly id: string;
      /** A short's borrow fee (borrow-fees.ts): `days` nights to `date`, on `qty` (negative) at `price`, at `rate` percent a year. */
      readonly kind: 'borrow_fee';
      readonly symbol: string;
      readonly date: string;
      readonly days: number;
      readonly qty: Qty;
      readonly price: Price;
      readonly rate: string;
      /** The cash it took: negative. */
      readonly amount: Cents;
      readonly time: number;
      readonly afterFills: number;
    };

/** The qty a split leaves of `qty` (never more shares than the ratio gives: rounded down to the nano). */
export const splitQty = (qty: Qty, from: bigint, to: bigint): Qty => (qty * to) / from;

/** What a dividend owes on `qty` shares, rounded to the cent half away from zero. */
export const dividendAmount = (perShare: Price, qty: Qty): Cents => notional(perShare, qty);

/** A record in one line, for the log. */
export function describeAction(record: ActionRecord): string {
  switch (record.kind) {
    case 'split':
      return `${record.symbol} split ${record.to}-for-${record.from} on ${record.date}: ${formatQty(record.qtyBefore)} shares became ${formatQty(record.qtyAfter)}, the cost basis unchanged`;
    case 'dividend':
      return record.qty > 0n
        ? `${record.symbol} dividend of $${formatPrice(record.perShare)} a share on the ${formatQty(record.qty)} held at its ex-date ${record.exDate}: ${formatUsd(record.amount)} owed, paid on ${record.payDate}`
        : `${record.symbol} dividend of $${formatPrice(record.perShare)} a share on the ${formatQty(-record.qty)} sold short at its ex-date ${record.exDate}: ${formatUsd(-record.amount)} owed to the lender, paid on ${record.payDate}`;
    case 'payment':
      return record.amount > 0n ? `${record.symbol} dividend paid: ${formatUsd(record.amount)} into cash` : `${record.symbol} dividend paid to the lender: ${formatUsd(-record.amount)} out of cash`;
    case 'borrow_fee':
      return `${record.symbol} borrow fee: ${record.days} night${record.days === 1 ? '' : 's'} short ${formatQty(-record.qty)} at ${formatPrice(record.price)}, ${record.rate}% a year: ${formatUsd(-record.amount)}`;
  }
}
