import type { Fill } from '../execution/paper-executor.ts';
import { ORDER_TYPES, TIMES_IN_FORCE, type Order, type OrderStatus } from '../orders/order.ts';

// Orders and fills as the journal stores them: bigints as decimal strings (JSON has no bigint),
// checked field by field on the way back in, so a damaged row is named instead of loaded.

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

const STATUSES: readonly OrderStatus[] = ['new', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected'];
const BIGINT_FIELDS = ['qty', 'filledQty', 'filledNotional', 'filledValue', 'fees', 'realizedPnl', 'reservePrice', 'reserved'] as const;

export function orderToJson(order: Order): string {
  return JSON.stringify(order, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export function orderFromJson(json: string): Order {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new CorruptRecordError('an order row is not JSON');
  }
  const id = raw['id'];
  if (typeof id !== 'string' || !/^o-\d+$/.test(id)) throw new CorruptRecordError(`an order row has a bad id ${JSON.stringify(id)}`);
  const fail = (field: string): never => {
    throw new CorruptRecordError(`order ${id} has a bad ${field}`);
  };
  const big = (field: string, value: unknown): bigint => (typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : fail(field));
  const optionalBig = (field: string): bigint | undefined => (raw[field] === undefined ? undefined : big(field, raw[field]));
  const text = (field: string): string => (typeof raw[field] === 'string' ? (raw[field] as string) : fail(field));
  const time = (field: string): number => (Number.isSafeInteger(raw[field]) ? (raw[field] as number) : fail(field));
  const oneOf = <T extends string>(field: string, allowed: readonly T[]): T => (allowed.includes(raw[field] as T) ? (raw[field] as T) : fail(field));
  const order: Order = {
    id,
    clientOrderId: raw['clientOrderId'] === undefined ? undefined : text('clientOrderId'),
    symbol: text('symbol'),
    side: oneOf('side', ['buy', 'sell'] as const),
    type: oneOf('type', ORDER_TYPES),
    timeInForce: oneOf('timeInForce', TIMES_IN_FORCE),
    qty: 0n,
    limitPrice: optionalBig('limitPrice'),
    stopPrice: optionalBig('stopPrice'),
    source: text('source'),
    createdAt: time('createdAt'),
    status: oneOf('status', STATUSES),
    reason: raw['reason'] === undefined ? undefined : text('reason'),
    updatedAt: time('updatedAt'),
    filledQty: 0n,
    filledNotional: 0n,
    filledValue: 0n,
    fees: 0n,
    realizedPnl: 0n,
    triggered: typeof raw['triggered'] === 'boolean' ? raw['triggered'] : fail('triggered'),
    reservePrice: 0n,
    reserved: 0n,
    expiresAt: raw['expiresAt'] === undefined ? undefined : time('expiresAt'),
  };
  for (const field of BIGINT_FIELDS) (order as unknown as Record<string, bigint>)[field] = big(field, raw[field]);
  return order;
}

/** A fill row: the columns of the fills table, in order. */
export type FillRow = [id: string, orderId: string, symbol: string, side: string, qty: string, price: string, notional: string, fee: string, realizedPnl: string, time: number, source: string];

export const fillToRow = (fill: Fill): FillRow => [
  fill.id,
  fill.orderId,
  fill.symbol,
  fill.side,
  fill.qty.toString(),
  fill.price.toString(),
  fill.notional.toString(),
  fill.fee.toString(),
  fill.realizedPnl.toString(),
  fill.time,
  fill.source,
];

const INTEGER = /^-?\d+$/;

export function fillFromRow(row: Record<string, unknown>): Fill {
  const id = String(row['id']);
  const big = (field: string): bigint => {
    const value = row[field];
    if (typeof value !== 'string' || !INTEGER.test(value)) throw new CorruptRecordError(`fill ${id} has a bad ${field}`);
    return BigInt(value);
  };
  const side = row['side'];
  if (side !== 'buy' && side !== 'sell') throw new CorruptRecordError(`fill ${id} has a bad side`);
  const time = row['time'];
  if (!Number.isSafeInteger(time)) throw new CorruptRecordError(`fill ${id} has a bad time`);
  return {
    id,
    orderId: String(row['order_id']),
    symbol: String(row['symbol']),
    side,
    qty: big('qty'),
    price: big('price'),
    notional: big('notional'),
    fee: big('fee'),
    realizedPnl: big('realized_pnl'),
    time: time as number,
    source: String(row['source']),
  };
}
