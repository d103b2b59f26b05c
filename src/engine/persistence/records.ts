import type { Fill } from '../execution/paper-executor.ts';
import type { ActionRecord } from '../portfolio/corporate-actions.ts';
import { ORDER_CLASSES, ORDER_TYPES, TIMES_IN_FORCE, type Order, type OrderClass, type OrderStatus } from '../orders/order.ts';

// Orders and fills as the journal stores them: one JSON array per row, fields in a fixed order,
// bigints as decimal strings (JSON has no bigint). Arrays parse several times faster than objects
// with keys, which is most of a restart with 100,000 fills. Each field is checked on the way back
// in, so a damaged row is named instead of loaded.

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

const STATUSES: ReadonlySet<string> = new Set<OrderStatus>(['new', 'held', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected']);
const TYPES: ReadonlySet<string> = new Set(ORDER_TYPES);
const TIFS: ReadonlySet<string> = new Set(TIMES_IN_FORCE);
const CLASSES: ReadonlySet<string> = new Set(ORDER_CLASSES);
const INTEGER = /^-?\d+$/;

const big = (value: bigint | undefined): string | null => (value === undefined ? null : value.toString());

export function orderToRecord(o: Order): string {
  return JSON.stringify([
    o.id, o.clientOrderId ?? null, o.symbol, o.side, o.type, o.timeInForce, o.qty.toString(), big(o.limitPrice), big(o.stopPrice), o.source,
    o.createdAt, o.status, o.reason ?? null, o.updatedAt, o.filledQty.toString(), o.filledNotional.toString(), o.filledValue.toString(),
    o.fees.toString(), o.realizedPnl.toString(), o.triggered, o.reservePrice.toString(), o.expiresAt ?? null, o.marketable ?? null,
    big(o.trailPrice), big(o.trailPercent), big(o.hwm), o.orderClass === 'simple' ? null : o.orderClass, o.parentId ?? null,
    o.extendedHours || null,
  ]);
}

/** A row of `length` fields, or of `oldest` (written before the later fields existed; they read as null). */
function parseRow(text: string, what: string, length: number, oldest = length): unknown[] {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(`${what} row is not JSON`);
  }
  if (!Array.isArray(row) || row.length < oldest || row.length > length) throw new CorruptRecordError(`${what} row does not have ${length} fields`);
  while (row.length < length) row.push(null);
  return row;
}

/** Checks a row's fields by kind: s string, S string or null, b bigint text, B bigint text or null, Q bigint text, 0 or null, t time, T time or null, f boolean, F boolean or null, L lots or null. */
function checkRow(row: readonly unknown[], kinds: string, what: string): void {
  for (let i = 0; i < kinds.length; i++) {
    const value = row[i];
    const kind = kinds.charCodeAt(i);
    let ok: boolean;
    switch (kind) {
      case 115 /* s */: ok = typeof value === 'string'; break;
      case 83 /* S */: ok = value === null || typeof value === 'string'; break;
      case 98 /* b */: ok = typeof value === 'string' && INTEGER.test(value); break;
      case 66 /* B */: ok = value === null || (typeof value === 'string' && INTEGER.test(value)); break;
      case 116 /* t */: ok = Number.isSafeInteger(value); break;
      case 84 /* T */: ok = value === null || Number.isSafeInteger(value); break;
      case 70 /* F */: ok = value === null || typeof value === 'boolean'; break;
      case 81 /* Q */: ok = value === null || value === 0 || (typeof value === 'string' && INTEGER.test(value)); break;
      case 76 /* L */: ok = value === null || (Array.isArray(value) && value.every((lot) => Array.isArray(lot) && lot.length === 2 && typeof lot[0] === 'string' && typeof lot[1] === 'string' && INTEGER.test(lot[1]))); break;
      default: ok = typeof value === 'boolean';
    }
    if (!ok) throw new CorruptRecordError(`${what} has a bad field ${i + 1}`);
  }
}

// The last fields came later (marketable; a trailing stop's trail and high-water mark; the order
// class and parent; extended hours): rows without them are read as null (not settled yet; not a
// trailing stop; simple; regular hours only).
const ORDER_KINDS = 'sSsssssBBstsStbbbbbfbTFBBBSSF';
const OLDEST_ORDER_FIELDS = 22;

export function orderFromRecord(text: string): Order {
  const r = parseRow(text, 'an order', ORDER_KINDS.length, OLDEST_ORDER_FIELDS);
  const id = String(r[0]);
  checkRow(r, ORDER_KINDS, `order ${id}`);
  // A rejected request keeps what was asked for, however wrong (its reason says what): only an order the engine took must make sense.
  const rejected = r[11] === 'rejected';
  if (!STATUSES.has(r[11] as string) || (!rejected && ((r[3] !== 'buy' && r[3] !== 'sell') || !TYPES.has(r[4] as string) || !TIFS.has(r[5] as string)))) {
    throw new CorruptRecordError(`order ${id} has a bad side, type, time in force or status`);
  }
  if (r[26] !== null && !CLASSES.has(r[26] as string)) throw new CorruptRecordError(`order ${id} has a bad order class`);
  const optional = (value: unknown): bigint | undefined => (value === null ? undefined : BigInt(value as string));
  return {
    id,
    clientOrderId: (r[1] as string | null) ?? undefined,
    symbol: r[2] as string,
    side: r[3] as Order['side'],
    type: r[4] as Order['type'],
    timeInForce: r[5] as Order['timeInForce'],
    qty: BigInt(r[6] as string),
    limitPrice: optional(r[7]),
    stopPrice: optional(r[8]),
    source: r[9] as string,
    createdAt: r[10] as number,
    status: r[11] as OrderStatus,
    reason: (r[12] as string | null) ?? undefined,
    updatedAt: r[13] as number,
    filledQty: BigInt(r[14] as string),
    filledNotional: BigInt(r[15] as string),
    filledValue: BigInt(r[16] as string),
    fees: BigInt(r[17] as string),
    realizedPnl: BigInt(r[18] as string),
    triggered: r[19] as boolean,
    reservePrice: BigInt(r[20] as string),
    reserved: 0n,
    expiresAt: (r[21] as number | null) ?? undefined,
    marketable: (r[22] as boolean | null) ?? undefined,
    trailPrice: optional(r[23]),
    trailPercent: optional(r[24]),
    hwm: optional(r[25]),
    orderClass: (r[26] as OrderClass | null) ?? 'simple',
    parentId: (r[27] as string | null) ?? undefined,
    extendedHours: r[28] === true,
  };
}

export function fillToRecord(f: Fill): string {
  const lots = f.lotsTaken?.map((lot) => [lot.owner, lot.qty.toString()]) ?? null;
  return JSON.stringify([f.id, f.orderId, f.symbol, f.side, f.qty.toString(), f.price.toString(), f.notional.toString(), f.fee.toString(), f.realizedPnl.toString(), f.time, f.source, lots, f.marketDelayMs ?? null, filledWithRecord(f)]);
}

/**
 * What the order had filled with the fill: 0 when just the fill (most orders fill at once: a
 * restart reads no bigint for them), else its text; null on fills saved before it was kept.
 */
function filledWithRecord(f: Fill): string | 0 | null {
  if (f.orderFilledQty === undefined) return null;
  return f.orderFilledQty === f.qty ? 0 : f.orderFilledQty.toString();
}

// The last fields came later (the lots a sell took, the feed's delay, what the order had filled with it): rows without them read as null.
const FILL_KINDS = 'ssssbbbbbtsLTQ';
const OLDEST_FILL_FIELDS = 11;

export function fillFromRecord(text: string): Fill {
  const r = parseRow(text, 'a fill', FILL_KINDS.length, OLDEST_FILL_FIELDS);
  const id = String(r[0]);
  checkRow(r, FILL_KINDS, `fill ${id}`);
  if (r[3] !== 'buy' && r[3] !== 'sell') throw new CorruptRecordError(`fill ${id} has a bad side`);
  const qty = BigInt(r[4] as string);
  return {
    id,
    orderId: r[1] as string,
    symbol: r[2] as string,
    side: r[3],
    qty,
    price: BigInt(r[5] as string),
    notional: BigInt(r[6] as string),
    fee: BigInt(r[7] as string),
    realizedPnl: BigInt(r[8] as string),
    time: r[9] as number,
    source: r[10] as string,
    ...(r[11] === null ? {} : { lotsTaken: (r[11] as [string, string][]).map(([owner, qty]) => ({ owner, qty: BigInt(qty) })) }),
    ...(r[12] === null ? {} : { marketDelayMs: r[12] as number }),
    ...(r[13] === null ? {} : { orderFilledQty: r[13] === 0 ? qty : BigInt(r[13] as string) }),
  };
}

// Corporate action records are rare: one JSON object each, bigints as decimal strings, checked on the way back in.
const ACTION_BIGINTS = ['from', 'to', 'qtyBefore', 'qtyAfter', 'perShare', 'qty', 'amount', 'price'] as const;
const ACTION_FIELDS: Record<ActionRecord['kind'], readonly string[]> = {
  split: ['id', 'kind', 'source', 'symbol', 'date', 'from', 'to', 'qtyBefore', 'qtyAfter', 'time', 'afterFills'],
  dividend: ['id', 'kind', 'source', 'symbol', 'exDate', 'payDate', 'perShare', 'qty', 'amount', 'time', 'afterFills'],
  payment: ['id', 'kind', 'source', 'symbol', 'amount', 'time', 'afterFills'],
  borrow_fee: ['id', 'kind', 'symbol', 'date', 'days', 'qty', 'price', 'rate', 'amount', 'time', 'afterFills'],
};

export function actionToRecord(action: ActionRecord): string {
  return JSON.stringify(action, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export function actionFromRecord(text: string): ActionRecord {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CorruptRecordError('a corporate action row is not JSON');
  }
  const id = String(raw?.['id']);
  const fields = ACTION_FIELDS[raw?.['kind'] as ActionRecord['kind']];
  if (!fields) throw new CorruptRecordError(`corporate action ${id} has a bad kind`);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = raw[field];
    const ok = (ACTION_BIGINTS as readonly string[]).includes(field) ? typeof value === 'string' && INTEGER.test(value)
      : field === 'time' || field === 'afterFills' || field === 'days' ? Number.isSafeInteger(value)
      : typeof value === 'string';
    if (!ok) throw new CorruptRecordError(`corporate action ${id} has a bad ${field}`);
    out[field] = (ACTION_BIGINTS as readonly string[]).includes(field) ? BigInt(value as string) : value;
  }
  const big = (field: string): bigint | undefined => out[field] as bigint | undefined;
  // A short's split and dividend are negative: each pair has one sign, and none is zero.
  const sameSign = (a: bigint | undefined, b: bigint | undefined): boolean => a === undefined || b === undefined || (a !== 0n && b !== 0n && a > 0n === b > 0n);
  const borrowed = out['kind'] !== 'borrow_fee' || ((out['days'] as number) > 0 && big('qty')! < 0n);
  const positive = ['from', 'to', 'perShare', 'price'].every((field) => big(field) === undefined || big(field)! > 0n)
    && sameSign(big('qtyBefore'), big('qtyAfter')) && sameSign(big('qty'), big('amount')) && (out['kind'] !== 'payment' || big('amount') !== 0n) && borrowed;
  if (raw['lots'] !== undefined) {
    const lots = raw['lots'];
    const valid = Array.isArray(lots) && lots.every((lot) => typeof lot?.owner === 'string' && typeof lot?.qty === 'string' && INTEGER.test(lot.qty));
    if (!valid) throw new CorruptRecordError(`corporate action ${id} has bad lots`);
    out['lots'] = (lots as { owner: string; qty: string }[]).map((lot) => ({ owner: lot.owner, qty: BigInt(lot.qty) }));
  }
  if (!/^a-[1-9]\d*$/.test(id) || (out['afterFills'] as number) < 0 || !positive) throw new CorruptRecordError(`corporate action ${id} has a bad id, position or amount`);
  return out as unknown as ActionRecord;
}
