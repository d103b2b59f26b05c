// The one order schema. The programmatic API, the HTTP API, the order ticket and strategies all
// hand their requests to validateOrderRequest, so the four can never disagree. Each field has the
// engine's camelCase name and the seed's snake_case one (PaperBroker.place_order, the HTTP body);
// any other key is refused by name rather than ignored.
import { parseDecimal, PERCENT_DECIMALS, PRICE_DECIMALS, QTY_DECIMALS, type Price, type Qty } from '../money.ts';
import { closestMatch } from '../closest-match.ts';
import { assetClassOf, normalizeSymbol } from '../market/symbols.ts';
import { ORDER_TYPES, TIMES_IN_FORCE, type OrderType, type Side, type TimeInForce } from './order.ts';
import { checkExits, readOrderExits, type OrderExits } from './order-class.ts';

export interface ValidOrderRequest extends OrderExits {
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: Qty;
  limitPrice: Price | undefined;
  stopPrice: Price | undefined;
  trailPrice: Price | undefined;
  trailPercent: bigint | undefined;
  clientOrderId: string | undefined;
  extendedHours: boolean;
}

export type Validation = { ok: true; value: ValidOrderRequest } | { ok: false; error: string };

/** Each field's spellings: the engine's, then the seed's (and the HTTP API's). */
const FIELDS = {
  symbol: ['symbol'],
  side: ['side'],
  qty: ['qty'],
  type: ['type', 'order_type'],
  limitPrice: ['limitPrice', 'limit_price'],
  stopPrice: ['stopPrice', 'stop_price'],
  trailPrice: ['trailPrice', 'trail_price'],
  trailPercent: ['trailPercent', 'trail_percent'],
  timeInForce: ['timeInForce', 'time_in_force'],
  clientOrderId: ['clientOrderId', 'client_order_id'],
  orderClass: ['orderClass', 'order_class'],
  takeProfit: ['takeProfit', 'take_profit'],
  stopLoss: ['stopLoss', 'stop_loss'],
  extendedHours: ['extendedHours', 'extended_hours'],
} as const;

type Field = keyof typeof FIELDS;

const FIELD_OF = new Map<string, Field>(Object.entries(FIELDS).flatMap(([field, keys]) => keys.map((key) => [key, field as Field] as const)));
const FIELD_LIST =
  'symbol, side, qty, type (order_type), limitPrice (limit_price), stopPrice (stop_price), trailPrice (trail_price), trailPercent (trail_percent), timeInForce (time_in_force), clientOrderId (client_order_id), orderClass (order_class), takeProfit (take_profit), stopLoss (stop_loss) and extendedHours (extended_hours)';
export const MAX_CLIENT_ORDER_ID = 64;

/** What a value says, so two spellings of one field can be compared (an exit object by its JSON). */
const spelling = (value: unknown): string => (typeof value === 'object' ? JSON.stringify(value) : String(value));

/** A value as a person typed it; never throws, whatever a program passed. */
function show(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (value === null || ['number', 'boolean', 'bigint', 'undefined'].includes(typeof value)) return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/**
 * The request's fields under their engine names, whichever spelling was used; an unknown key or
 * two spellings that disagree is an error. Null counts as absent (JSON has no undefined).
 */
export function readOrderFields(request: unknown): { ok: true; fields: Partial<Record<Field, unknown>> } | { ok: false; error: string } {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { ok: false, error: 'an order must be an object such as {"symbol": "AAPL", "qty": 10, "side": "buy", "order_type": "market"}' };
  }
  const fields: Partial<Record<Field, unknown>> = {};
  const spelledAs: Partial<Record<Field, string>> = {};
  for (const [key, value] of Object.entries(request)) {
    const field = FIELD_OF.get(key);
    if (!field) {
      const near = closestMatch(key, FIELD_OF.keys(), (name) => name.toLowerCase().replace(/_/g, ''));
      return { ok: false, error: `unknown field ${show(key)}${near ? ` (did you mean ${near}?)` : ''}: an order takes ${FIELD_LIST}` };
    }
    if (value === undefined || value === null) continue;
    const earlier = spelledAs[field];
    // 100 and "100" are one price in two spellings.
    if (earlier !== undefined && spelling(fields[field]) !== spelling(value)) {
      return { ok: false, error: `fields ${earlier} ${show(fields[field])} and ${key} ${show(value)} disagree: give one of them` };
    }
    fields[field] = value;
    spelledAs[field] = key;
  }
  return { ok: true, fields };
}

/** Checks an order request; every error is one sentence a person can act on. */
export function validateOrderRequest(request: unknown): Validation {
  const fail = (error: string): Validation => ({ ok: false, error });
  const read = readOrderFields(request);
  if (!read.ok) return read;
  const { fields } = read;

  if (fields.symbol === undefined) return fail('symbol missing: say which symbol to trade, e.g. "AAPL"');
  if (typeof fields.symbol !== 'string') return fail(`symbol must be a ticker such as "AAPL", got ${show(fields.symbol)}`);
  const symbol = normalizeSymbol(fields.symbol);
  if (!symbol.ok) return fail(symbol.error);

  if (fields.side === undefined) return fail('side missing: say "buy" or "sell"');
  const side = typeof fields.side === 'string' ? fields.side.toLowerCase() : fields.side;
  if (side !== 'buy' && side !== 'sell') return fail(`side must be "buy" or "sell", got ${show(fields.side)}`);

  const exits = readOrderExits(fields.orderClass, fields.takeProfit, fields.stopLoss, parseAmount);
  if (typeof exits === 'string') return fail(exits);
  // An oco is a limit order (its take-profit) whether or not it says so.
  const type = (typeof fields.type === 'string' ? fields.type.toLowerCase().replace('-', '_') : fields.type) ?? (exits.orderClass === 'oco' ? 'limit' : 'market');
  if (!ORDER_TYPES.includes(type as OrderType)) {
    return fail(`order type must be one of ${ORDER_TYPES.join(', ')}, got ${show(fields.type)}`);
  }
  const tif = (typeof fields.timeInForce === 'string' ? fields.timeInForce.toLowerCase() : fields.timeInForce) ?? 'day';
  if (!TIMES_IN_FORCE.includes(tif as TimeInForce)) {
    return fail(`time in force must be one of ${TIMES_IN_FORCE.join(', ')}, got ${show(fields.timeInForce)}`);
  }

  if (fields.qty === undefined || fields.qty === '') return fail('qty missing: say how many to trade');
  const qty = parseAmount('qty', fields.qty, QTY_DECIMALS, '10 or "0.5"');
  if (typeof qty === 'string') return fail(qty);
  if (qty <= 0n) return fail(`qty must be > 0, got ${show(fields.qty)}`);

  // An oco's limit is its take-profit's, so it may leave the limit price out.
  const ocoLimitGiven = exits.orderClass === 'oco' && fields.limitPrice !== undefined && fields.limitPrice !== '';
  const needsLimit = (type === 'limit' && (exits.orderClass !== 'oco' || ocoLimitGiven)) || type === 'stop_limit';
  const needsStop = type === 'stop' || type === 'stop_limit';
  let limitPrice = parsePrice('limit price', fields.limitPrice, needsLimit, type as OrderType);
  if (typeof limitPrice === 'string') return fail(limitPrice);
  const stopPrice = parsePrice('stop price', fields.stopPrice, needsStop, type as OrderType);
  if (typeof stopPrice === 'string') return fail(stopPrice);
  const trail = parseTrail(fields.trailPrice, fields.trailPercent, type as OrderType);
  if (typeof trail === 'string') return fail(trail);
  if (exits.orderClass === 'oco' && exits.takeProfit) {
    // An oco's limit is its take-profit's: a limit price given as well must be the same.
    if (limitPrice !== undefined && limitPrice !== exits.takeProfit.limitPrice) return fail(`an oco order's limit price is its take_profit's: ${show(fields.limitPrice)} differs from it`);
    limitPrice = exits.takeProfit.limitPrice;
  }
  const linked = checkExits({ side, type: type as OrderType, timeInForce: tif as TimeInForce, limitPrice, stopPrice }, exits);
  if (linked) return fail(linked);
  const extendedHours = fields.extendedHours ?? false;
  if (typeof extendedHours !== 'boolean') return fail(`extended hours must be true or false, got ${show(fields.extendedHours)}`);
  if (extendedHours && (type !== 'limit' || (tif !== 'day' && tif !== 'gtc') || assetClassOf(symbol.symbol) !== 'stock')) {
    return fail('extended hours are for a stock limit order, day or gtc: the pre-market and after hours take no other (a market order there would fill at any price)');
  }
  if (extendedHours && exits.orderClass !== 'simple') return fail(`extended hours are for a simple order: a ${exits.orderClass}'s exits trade in the regular session`);
  if (tif === 'opg' || tif === 'cls') {
    const auction = tif === 'opg' ? 'opening' : 'closing';
    if (type !== 'market' && type !== 'limit') return fail(`a ${tif} order trades in the ${auction} auction: it is a market or limit order, not ${String(type).replace(/_/g, '-')}`);
    if (assetClassOf(symbol.symbol) !== 'stock') return fail(`${tif} is for stocks: the ${assetClassOf(symbol.symbol)} market has no ${auction} auction`);
  }

  const clientOrderId = fields.clientOrderId;
  // No control characters: an id is shown, and a retry must match it exactly.
  if (clientOrderId !== undefined && (typeof clientOrderId !== 'string' || clientOrderId.trim() === '' || clientOrderId.length > MAX_CLIENT_ORDER_ID || /[\u0000-\u001f\u007f-\u009f]/.test(clientOrderId))) {
    return fail(`client order id must be printable text of 1 to ${MAX_CLIENT_ORDER_ID} characters, got ${show(clientOrderId)}`);
  }
  return {
    ok: true,
    value: { symbol: symbol.symbol, side, type: type as OrderType, timeInForce: tif as TimeInForce, qty, limitPrice, stopPrice, ...trail, clientOrderId, ...exits, extendedHours },
  };
}

/**
 * A decimal string or a number, exactly. A whole number past 2^53 was already rounded when it
 * became a JavaScript (or JSON) number: better to ask for text than to trade a different amount.
 */
function parseAmount(name: string, input: unknown, decimals: number, example: string): bigint | string {
  if (typeof input === 'number' && Number.isFinite(input) && input > Number.MAX_SAFE_INTEGER) {
    const digits = BigInt(input).toString();
    return `${name} ${show(input)} is too large to be exact as a number: pass it as text${digits.length <= 24 ? `, e.g. "${digits}"` : ''}`;
  }
  if (typeof input !== 'number' && typeof input !== 'string') return `${name} must be a number or a decimal string such as ${example}, got ${show(input)}`;
  const parsed = parseDecimal(input, decimals);
  if (parsed.ok) return parsed.value;
  return `${name} ${show(input)} ${parsed.error}${parsed.error === 'is not a number' ? `: give a decimal such as ${example}` : ''}`;
}

function parsePrice(name: string, input: unknown, required: boolean, type: OrderType): Price | undefined | string {
  const label = type.replace(/_/g, '-');
  if (input === undefined || input === '') return required ? `${name} missing for a ${label} order` : undefined;
  if (!required) {
    const computed = type === 'trailing_stop' && name === 'stop price' ? ': its stop follows the market by its trail' : '';
    return `a ${label} order takes no ${name} (got ${show(input)})${computed || `; use a ${name.startsWith('limit') ? 'limit or stop-limit' : 'stop or stop-limit'} order`}`;
  }
  const parsed = parseAmount(name, input, PRICE_DECIMALS, '187.25');
  if (typeof parsed === 'string') return parsed;
  if (parsed <= 0n) return `${name} must be > 0, got ${show(input)}`;
  return parsed;
}

/** A trailing stop's trail: exactly one of a price (0.50) and a percent under 100 (1.5); no other order type takes one. */
function parseTrail(priceInput: unknown, percentInput: unknown, type: OrderType): { trailPrice: Price | undefined; trailPercent: bigint | undefined } | string {
  const given = (input: unknown): boolean => input !== undefined && input !== '';
  if (type !== 'trailing_stop') {
    const input = given(priceInput) ? priceInput : percentInput;
    if (!given(input)) return { trailPrice: undefined, trailPercent: undefined };
    return `a ${type.replace(/_/g, '-')} order takes no trail (got ${show(input)}); use a trailing-stop order`;
  }
  if (given(priceInput) && given(percentInput)) return `give a trailing stop one trail: trail price ${show(priceInput)} or trail percent ${show(percentInput)}, not both`;
  if (given(priceInput)) {
    const trailPrice = parseAmount('trail price', priceInput, PRICE_DECIMALS, '0.50');
    if (typeof trailPrice === 'string') return trailPrice;
    if (trailPrice <= 0n) return `trail price must be > 0, got ${show(priceInput)}`;
    return { trailPrice, trailPercent: undefined };
  }
  if (!given(percentInput)) return 'trail missing for a trailing-stop order: give a trail price (e.g. 0.50) or a trail percent (e.g. 1.5)';
  const trailPercent = parseAmount('trail percent', percentInput, PERCENT_DECIMALS, '1.5');
  if (typeof trailPercent === 'string') return trailPercent;
  if (trailPercent <= 0n || trailPercent >= 100n * 10n ** BigInt(PERCENT_DECIMALS)) return `trail percent must be above 0 and below 100, got ${show(percentInput)}`;
  return { trailPrice: undefined, trailPercent };
}
