// The activity view's lines, as a pure function: every order (rejected and canceled too), every
// fill and every log line, oldest first, each whole, filtered and searched.
import type { FillView, OrderView } from '../../engine/index.ts';
import { ownerOf } from '../../engine/portfolio/attribution.ts';
import { ownerLabel, orderTerms } from '../format.ts';
import type { LogLine } from '../store.ts';

export type ActivityFilter = 'all' | 'orders' | 'fills' | 'log';
export const ACTIVITY_FILTERS: readonly ActivityFilter[] = ['all', 'orders', 'fills', 'log'];

export interface ActivityEntry {
  time: number;
  kind: 'order' | 'fill' | LogLine['level'];
  text: string;
}

/** An order in one line, with its prices, state and the reason it ended, if it did not fill. */
export function orderText(order: OrderView): string {
  const filled = order.filledQty !== '0' && order.status !== 'filled' ? ` (${order.filledQty} filled)` : '';
  const linked = order.orderClass === 'simple' ? '' : ` ${order.orderClass}${order.parentId ? ` leg of ${order.parentId}` : ''}`;
  const reason = order.reason ? `: ${order.reason}` : '';
  return `${order.id} ${order.side} ${order.qty} ${order.symbol} ${orderTerms(order)} ${order.timeInForce}${linked} by ${ownerLabel(ownerOf(order.source))} · ${order.status.replace('_', ' ')}${filled}${reason}`;
}

export function fillText(fill: FillView): string {
  const realized = fill.side === 'sell' && fill.realizedPnl !== '0.00' ? ` realized ${fill.realizedPnl}` : '';
  return `${fill.id} ${fill.orderId} ${fill.side} ${fill.qty} ${fill.symbol} @ ${fill.price} = ${fill.notional} fee ${fill.fee}${realized} (${fill.source})`;
}

/**
 * Orders at their last change, fills, and log lines, oldest first. The log's own fill lines are
 * left out (the fills say more); `query` keeps the entries containing it, in any case.
 */
export function activityEntries(orders: readonly OrderView[], fills: readonly FillView[], log: readonly LogLine[], filter: ActivityFilter, query: string): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  if (filter === 'all' || filter === 'orders') for (const order of orders) entries.push({ time: order.updatedAt, kind: 'order', text: orderText(order) });
  if (filter === 'all' || filter === 'fills') for (const fill of fills) entries.push({ time: fill.time, kind: 'fill', text: fillText(fill) });
  if (filter === 'all' || filter === 'log') for (const line of log) if (line.level !== 'fill') entries.push({ time: line.time, kind: line.level, text: line.text });
  const needle = query.trim().toLowerCase();
  const kept = needle === '' ? entries : entries.filter((entry) => entry.text.toLowerCase().includes(needle) || entry.kind.includes(needle));
  // Stable: entries of the same time keep orders before fills before log lines.
  return kept.sort((a, b) => a.time - b.time);
}

/** Text cut into lines of `width`, the later ones indented by `indent`: nothing is cut off. */
export function wrapLine(text: string, width: number, indent: number): string[] {
  if (width <= indent + 1) return [text.slice(0, Math.max(0, width))];
  const lines: string[] = [];
  let rest = text;
  let room = width;
  while (rest.length > room) {
    // Break at the last space that leaves the line at least half full, else mid-word.
    const space = rest.lastIndexOf(' ', room);
    const at = space > room / 2 ? space : room;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^ /, '');
    room = width - indent;
  }
  lines.push(rest);
  return lines.map((line, index) => (index === 0 ? line : ' '.repeat(indent) + line));
}
