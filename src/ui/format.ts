// Display formatting of the engine's exact decimal strings. Text only: never parsed back.
import { strategyNameOf, USER_OWNER } from '../engine/portfolio/attribution.ts';
import type { OrderView, PositionView } from '../engine/snapshot.ts';
import { assetClassOf, forexDecimals } from '../engine/market/symbols.ts';
import { groupThousands } from '../engine/money.ts';

/** A position's owner as the trader reads it: "you", or the strategy's name. */
export const ownerLabel = (owner: string): string => (owner === USER_OWNER ? 'you' : strategyNameOf(owner));

/** Who holds a position: one owner by name; several with their shares ("you 10, sma-crossover 20"). */
export function heldByText(position: Pick<PositionView, 'attribution'>): string {
  const lots = position.attribution;
  if (lots.length === 1) return ownerLabel(lots[0]!.owner);
  return lots.map((lot) => `${ownerLabel(lot.owner)} ${lot.qty}`).join(', ');
}

/** "-1234.5" → "-$1,234.50" */
export function usd(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  return `${negative ? '-' : ''}$${groupThousands(whole)}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/** "+$12.30" or "-$4.00": a change, always signed. */
export const signedUsd = (amount: string): string => (amount.startsWith('-') ? usd(amount) : `+${usd(amount)}`);

export { groupThousands };

/** A price for a column: up to `decimals` places, at least 2. */
export function price(text: string | null, decimals = 6, minDecimals = 2): string {
  if (text === null) return '-';
  const [whole = '0', fraction = ''] = text.split('.');
  const kept = fraction.slice(0, decimals).replace(/0+$/, '').padEnd(minDecimals, '0');
  return `${whole}.${kept}`;
}

/** The decimals a symbol's prices show at least, so a column's decimal points line up: forex 5 (3 for pairs priced like the yen's), stocks 2, crypto by its size. */
export function priceDecimals(symbol: string, value: number): number {
  switch (assetClassOf(symbol)) {
    case 'forex': return forexDecimals(value);
    case 'crypto': return value >= 1000 ? 2 : value >= 1 ? 4 : 6;
    case 'stock': return 2;
  }
}

/** A price of `symbol` padded to its decimals (1.0499 beside 1.04988 is 1.04990), never cut short of a decimal it has. */
export const symbolPrice = (symbol: string, text: string | null): string => (text === null ? '-' : price(text, 6, priceDecimals(symbol, Math.abs(Number(text)))));

/** 1234567 → "1.23M"; volumes and sizes in a narrow column. */
export function compact(text: string): string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}K`;
  return Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 1 : 4).replace(/\.?0+$/, '');
}

/** Percent change from `from` to `to` (display only), e.g. "+1.25%". */
export function percentChange(from: string | null, to: string | null): string {
  if (from === null || to === null) return '-';
  const start = Number(from);
  const end = Number(to);
  if (!(start > 0)) return '-';
  return signedPercent(((end - start) / start) * 100);
}

/** An order's type with its prices: "limit 235.00", "stop 225.00", "stop-limit 225.00/224.50", "trailing-stop 1.5%", "market". */
export function orderTerms(order: Pick<OrderView, 'type' | 'limitPrice' | 'stopPrice' | 'trailPrice' | 'trailPercent'>, format: (price: string | null) => string = (p) => p ?? '-'): string {
  switch (order.type) {
    case 'limit': return `limit ${format(order.limitPrice)}`;
    case 'stop': return `stop ${format(order.stopPrice)}`;
    case 'stop_limit': return `stop-limit ${format(order.stopPrice)}/${format(order.limitPrice)}`;
    case 'trailing_stop': return `trailing-stop ${order.trailPercent !== null ? `${order.trailPercent}%` : format(order.trailPrice)}`;
    default: return orderTypeText(order.type);
  }
}

/** An order type as the screen spells it everywhere: stop-limit, trailing-stop (the API's stop_limit, trailing_stop). */
export const orderTypeText = (type: string): string => type.replace(/_/g, '-');

/** A percent with its sign and two decimals, e.g. "+1.25%"; one that rounds to nothing is 0.00%, never -0.00%. */
export function signedPercent(percent: number): string {
  const text = percent.toFixed(2);
  if (/^-?0\.00$/.test(text)) return '0.00%';
  return `${percent > 0 ? '+' : ''}${text}%`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Unix ms → "14:05:09" in UTC, or in the given time zone. One formatter per zone: building one costs more than a frame's worth of text. */
export function clockTime(ms: number, timeZone = 'UTC'): string {
  let format = timeFormats.get(timeZone);
  if (!format) timeFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })));
  return format.format(ms);
}

/** How long ago, compactly: "45s", "12m", "3h", "2d". */
export function age(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

const NUMERIC = /^[-+]?\$?[\d,]*\.\d+%?$/;

/**
 * Makes a number fit a column by dropping decimals (display only: 94990.680123 → 94990.68)
 * rather than cutting it with an ellipsis, which would hide its size.
 */
export function shortenNumber(text: string, width: number): string {
  if (text.length <= width || !NUMERIC.test(text)) return text;
  const suffix = text.endsWith('%') ? '%' : '';
  const body = suffix ? text.slice(0, -1) : text;
  const [whole = '', fraction = ''] = body.split('.');
  const room = width - whole.length - suffix.length - 1;
  if (room <= 0) return whole + suffix;
  return `${whole}.${fraction.slice(0, room)}${suffix}`;
}

/** Cuts text to width with an ellipsis; pads to width when `pad` is set. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? (width === 1 ? '…' : `${text.slice(0, width - 1)}…`) : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/** Control characters (a newline in a provider's error) would break a line in two: they become spaces. */
export const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/** Drops control characters (a pasted newline, a stray escape). */
export const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f]/g, '');
