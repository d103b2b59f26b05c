// Brackets, ocos and otos in the one order schema: the exits' fields (Alpaca's take_profit and
// stop_loss) and the rules that make the linked orders sensible together, checked before any of
// them is placed. An exit of an entry sells what it bought (or buys back what it sold); an oco is
// itself an exit, so both its orders trade on its side.
import { formatPrice, PRICE_DECIMALS, type Price } from '../money.ts';
import { closestMatch } from '../closest-match.ts';
import { ORDER_CLASSES, type OrderClass, type OrderType, type Side, type TimeInForce } from './order.ts';

export interface TakeProfit {
  limitPrice: Price;
}

export interface StopLoss {
  stopPrice: Price;
  /** A stop-limit's limit, if the stop-loss is one. */
  limitPrice: Price | undefined;
}

export interface OrderExits {
  orderClass: OrderClass;
  takeProfit: TakeProfit | undefined;
  stopLoss: StopLoss | undefined;
}

/** What the order schema parses with (so both files word amounts alike). */
export type ParseAmount = (name: string, input: unknown, decimals: number, example: string) => bigint | string;

interface Entry {
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  limitPrice: Price | undefined;
  stopPrice: Price | undefined;
}

const EXIT_FIELDS = {
  take_profit: { limitPrice: ['limitPrice', 'limit_price'] },
  stop_loss: { stopPrice: ['stopPrice', 'stop_price'], limitPrice: ['limitPrice', 'limit_price'] },
} as const;

/**
 * The order's class and exits, checked against the entry; a string is the error. `type` is the
 * entry's type as given (an oco is a limit order, whether or not it says so).
 */
export function readOrderExits(
  classInput: unknown,
  takeProfitInput: unknown,
  stopLossInput: unknown,
  parseAmount: ParseAmount,
): OrderExits | string {
  const orderClass = (typeof classInput === 'string' ? classInput.toLowerCase() : classInput) ?? 'simple';
  if (!ORDER_CLASSES.includes(orderClass as OrderClass)) return `order class must be one of ${ORDER_CLASSES.join(', ')}, got ${JSON.stringify(classInput)}`;
  const takeProfit = readExit('take_profit', takeProfitInput, parseAmount);
  if (typeof takeProfit === 'string') return takeProfit;
  const stopLoss = readExit('stop_loss', stopLossInput, parseAmount);
  if (typeof stopLoss === 'string') return stopLoss;
  if (takeProfit && takeProfit['limitPrice'] === undefined) return 'take_profit needs its limit_price, e.g. {"limit_price": "195.00"}';
  if (stopLoss && stopLoss['stopPrice'] === undefined) return 'stop_loss needs its stop_price, e.g. {"stop_price": "180.00"}';
  const exits: OrderExits = {
    orderClass: orderClass as OrderClass,
    takeProfit: takeProfit && { limitPrice: takeProfit['limitPrice']! },
    stopLoss: stopLoss && { stopPrice: stopLoss['stopPrice']!, limitPrice: stopLoss['limitPrice'] },
  };
  const given = [exits.takeProfit && 'take_profit', exits.stopLoss && 'stop_loss'].filter(Boolean).join(' and ');
  switch (exits.orderClass) {
    case 'simple':
      return given ? `${given} belong to a bracket, oco or oto order: set order_class` : exits;
    case 'oto':
      return exits.takeProfit && exits.stopLoss ? 'an oto order takes one exit, take_profit or stop_loss: use order_class bracket for both'
        : given ? exits : 'an oto order needs its exit: a take_profit or a stop_loss';
    default:
      return exits.takeProfit && exits.stopLoss ? exits : `a${exits.orderClass === 'oco' ? 'n' : ''} ${exits.orderClass} order needs both a take_profit and a stop_loss`;
  }
}

/** Whether the linked orders make sense together: the entry's kind, and each exit on its side of the entry and of the other. */
export function checkExits(entry: Entry, exits: OrderExits): string | undefined {
  if (exits.orderClass === 'simple') return undefined;
  if (entry.timeInForce !== 'day' && entry.timeInForce !== 'gtc') return `a ${exits.orderClass} order is day or gtc, not ${entry.timeInForce}`;
  if (exits.orderClass === 'oco') {
    if (entry.type !== 'limit') return 'an oco order is a limit order (its take-profit) with a stop-loss: its type must be limit';
  } else if (entry.type === 'trailing_stop') {
    return `a ${exits.orderClass} order's entry is a market, limit, stop or stop-limit order, not a trailing stop`;
  }
  // A long's exits sell: the take-profit above, the stop-loss below. A short's buy: the other way round.
  const exitSide: Side = exits.orderClass === 'oco' ? entry.side : entry.side === 'buy' ? 'sell' : 'buy';
  const above = (a: Price, b: Price): boolean => (exitSide === 'sell' ? a > b : a < b);
  const higher = exitSide === 'sell' ? 'above' : 'below';
  const lower = exitSide === 'sell' ? 'below' : 'above';
  const { takeProfit, stopLoss } = exits;
  if (takeProfit && stopLoss && !above(takeProfit.limitPrice, stopLoss.stopPrice)) {
    return `the take-profit ${formatPrice(takeProfit.limitPrice)} must be ${higher} the stop-loss ${formatPrice(stopLoss.stopPrice)}`;
  }
  const base = exits.orderClass === 'oco' ? undefined : (entry.limitPrice ?? entry.stopPrice);
  if (base === undefined) return undefined;
  if (takeProfit && !above(takeProfit.limitPrice, base)) return `the take-profit ${formatPrice(takeProfit.limitPrice)} must be ${higher} the entry's ${formatPrice(base)}`;
  if (stopLoss && !above(base, stopLoss.stopPrice)) return `the stop-loss ${formatPrice(stopLoss.stopPrice)} must be ${lower} the entry's ${formatPrice(base)}`;
  return undefined;
}

/** The fields of an exit object in either spelling, parsed; a string is the error. */
function readExit(name: keyof typeof EXIT_FIELDS, input: unknown, parseAmount: ParseAmount): Partial<Record<'limitPrice' | 'stopPrice', Price>> | undefined | string {
  if (input === undefined || input === null) return undefined;
  if (typeof input !== 'object' || Array.isArray(input)) return `${name} must be an object such as ${name === 'take_profit' ? '{"limit_price": "195.00"}' : '{"stop_price": "180.00"}'}`;
  const fields: Record<string, string[]> = EXIT_FIELDS[name] as unknown as Record<string, string[]>;
  const out: Partial<Record<'limitPrice' | 'stopPrice', Price>> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = Object.keys(fields).find((f) => fields[f]!.includes(key)) as 'limitPrice' | 'stopPrice' | undefined;
    if (!field) {
      const keys = Object.values(fields).flat();
      const near = closestMatch(key, keys, (k) => k.toLowerCase().replace(/_/g, ''));
      return `unknown field "${key}" in ${name}${near ? ` (did you mean ${near}?)` : ''}: it takes ${Object.values(fields).map((k) => k[1]).join(' and ')}`;
    }
    if (value === undefined || value === null || value === '') continue;
    const label = `${name} ${field === 'limitPrice' ? 'limit price' : 'stop price'}`;
    const parsed = parseAmount(label, value, PRICE_DECIMALS, '187.25');
    if (typeof parsed === 'string') return parsed;
    if (parsed <= 0n) return `${label} must be > 0, got ${JSON.stringify(value)}`;
    if (out[field] !== undefined && out[field] !== parsed) return `${name} gives two ${field === 'limitPrice' ? 'limit' : 'stop'} prices that disagree: give one`;
    out[field] = parsed;
  }
  return out;
}
