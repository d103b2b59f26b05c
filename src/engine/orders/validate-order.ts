import { parseDecimal, PRICE_DECIMALS, QTY_DECIMALS, type Price, type Qty } from '../money.ts';
import { normalizeSymbol } from '../market/symbols.ts';
import { ORDER_TYPES, TIMES_IN_FORCE, type OrderRequest, type OrderType, type Side, type TimeInForce } from './order.ts';

export interface ValidOrderRequest {
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: Qty;
  limitPrice: Price | undefined;
  stopPrice: Price | undefined;
  clientOrderId: string | undefined;
}

export type Validation = { ok: true; value: ValidOrderRequest } | { ok: false; error: string };

/** A value as a person typed it; never throws, whatever a program passed. */
function show(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (value === null || ['number', 'boolean', 'bigint', 'undefined'].includes(typeof value)) return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/** Checks the shape of an order request; every error is one sentence a person can act on. */
export function validateOrderRequest(request: OrderRequest): Validation {
  const fail = (error: string): Validation => ({ ok: false, error });
  if (request === null || typeof request !== 'object') return fail('an order needs symbol, side and qty');

  if (typeof request.symbol !== 'string') return fail('symbol missing: say which symbol to trade, e.g. "AAPL"');
  const symbol = normalizeSymbol(request.symbol);
  if (!symbol.ok) return fail(symbol.error);

  const side = typeof request.side === 'string' ? request.side.toLowerCase() : request.side;
  if (side !== 'buy' && side !== 'sell') return fail(`side must be "buy" or "sell", got ${show(request.side)}`);

  const type = (typeof request.type === 'string' ? request.type.toLowerCase().replace('-', '_') : request.type) ?? 'market';
  if (!ORDER_TYPES.includes(type as OrderType)) {
    return fail(`order type must be one of ${ORDER_TYPES.join(', ')}, got ${show(request.type)}`);
  }
  const tif = (typeof request.timeInForce === 'string' ? request.timeInForce.toLowerCase() : request.timeInForce) ?? 'day';
  if (!TIMES_IN_FORCE.includes(tif as TimeInForce)) {
    return fail(`time in force must be one of ${TIMES_IN_FORCE.join(', ')}, got ${show(request.timeInForce)}`);
  }

  if (request.qty === undefined || request.qty === null || request.qty === '') return fail('qty missing: say how many to trade');
  const qty = parseDecimal(request.qty, QTY_DECIMALS);
  if (!qty.ok) return fail(`qty ${show(request.qty)} ${qty.error}`);
  if (qty.value <= 0n) return fail(`qty must be > 0, got ${show(request.qty)}`);

  const needsLimit = type === 'limit' || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  const limitPrice = parsePrice('limit price', request.limitPrice, needsLimit, type as OrderType);
  if (typeof limitPrice === 'string') return fail(limitPrice);
  const stopPrice = parsePrice('stop price', request.stopPrice, needsStop, type as OrderType);
  if (typeof stopPrice === 'string') return fail(stopPrice);

  const clientOrderId = request.clientOrderId === undefined ? undefined : String(request.clientOrderId);
  return {
    ok: true,
    value: { symbol: symbol.symbol, side, type: type as OrderType, timeInForce: tif as TimeInForce, qty: qty.value, limitPrice, stopPrice, clientOrderId },
  };
}

function parsePrice(name: string, input: unknown, required: boolean, type: OrderType): Price | undefined | string {
  const label = type.replace('_', '-');
  const absent = input === undefined || input === null || input === '';
  if (absent) return required ? `${name} missing for a ${label} order` : undefined;
  if (!required) return `a ${label} order takes no ${name} (got ${show(input)}); use a ${name.startsWith('limit') ? 'limit or stop-limit' : 'stop or stop-limit'} order`;
  const parsed = parseDecimal(input, PRICE_DECIMALS);
  if (!parsed.ok) return `${name} ${show(input)} ${parsed.error}`;
  if (parsed.value <= 0n) return `${name} must be > 0, got ${show(input)}`;
  return parsed.value;
}
