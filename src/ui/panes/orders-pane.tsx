import { memo } from 'react';
import type { FillView, OrderView } from '../../engine/index.ts';
import { PaneFrame } from '../components/pane-frame.tsx';
import { Table, tableWidth, type Column } from '../components/table.tsx';
import { age, clockTime, compact, orderTypeText, price, symbolPrice } from '../format.ts';
import { workingOrders } from '../selectors.ts';
import type { Theme } from '../theme.ts';
import type { PaneProps } from './pane-props.ts';

/** "230.50" → "230.50", "229.00" → "229": stop-limits show two prices in one column. */
const shortPrice = (text: string | null): string => price(text).replace(/\.00$/, '');

/** The order's trigger prices: "L 230.50", "S 229.00", "SL 229/230" (stop/limit), "TS 229/0.50" or "TS 229/1.5%" (stop/trail), "MKT"; single prices in the symbol's decimals. */
export function limitStop(order: OrderView): string {
  switch (order.type) {
    case 'limit': return `L ${symbolPrice(order.symbol, order.limitPrice)}`;
    case 'stop': return `S ${symbolPrice(order.symbol, order.stopPrice)}`;
    case 'stop_limit': return `SL ${shortPrice(order.stopPrice)}/${shortPrice(order.limitPrice)}`;
    case 'trailing_stop': return `TS ${shortPrice(order.stopPrice)}/${order.trailPercent === null ? shortPrice(order.trailPrice) : `${order.trailPercent}%`}`;
    default: return 'MKT';
  }
}

/** A linked order's part: a bracket's or oto's entry, or an exit (a take-profit limit, a stop-loss stop); else the order type. */
export function typeText(order: OrderView): string {
  if (order.orderClass === 'simple') return orderTypeText(order.type);
  if (order.parentId === null && order.orderClass !== 'oco') return order.orderClass;
  return order.type === 'limit' ? 'take-profit' : 'stop-loss';
}

/** A stop whose stop the market reached is a market (or limit) order now: "triggered" says so until it fills. */
export const statusText = (order: OrderView): string =>
  order.triggered && order.status === 'accepted' ? 'triggered' : order.triggered && order.status === 'partially_filled' ? 'triggered, part' : order.status;

const sideColor = (theme: Theme, side: string): string | undefined => (side === 'buy' ? theme.up : side === 'sell' ? theme.down : undefined);

type OrderColumn = Column<OrderView> & { key: string };

/** All columns: 91 wide (fits 100; 80 without the time in force and id). Narrower panes drop DROP_FIRST's columns before Table drops from the right. */
const orderColumns = (theme: Theme, now: number): OrderColumn[] => [
  { key: 'id', header: 'Id', width: 6, value: (o) => o.id },
  { key: 'side', header: 'Side', width: 4, value: (o) => o.side, color: (o) => sideColor(theme, o.side) },
  { key: 'symbol', header: 'Symbol', width: 8, value: (o) => o.symbol },
  { key: 'type', header: 'Type', width: 11, value: typeText },
  { key: 'qty', header: 'Qty', width: 7, align: 'right', value: (o) => compact(o.qty) },
  { key: 'filled', header: 'Filled', width: 7, align: 'right', value: (o) => compact(o.filledQty) },
  { key: 'price', header: 'Lmt/Stop', width: 16, value: limitStop },
  { key: 'tif', header: 'TIF', width: 3, value: (o) => o.timeInForce },
  { key: 'status', header: 'Status', width: 16, value: statusText },
  { key: 'age', header: 'Age', width: 4, align: 'right', value: (o) => age(o.createdAt, now) },
];

/** The time in force goes first, then the id; the type names a bracket's entry and legs, so it stays longer. */
const DROP_FIRST = ['tif', 'id', 'type', 'filled'];

export function columnsForWidth(theme: Theme, now: number, width: number): OrderColumn[] {
  let columns = orderColumns(theme, now);
  for (const key of DROP_FIRST) {
    if (tableWidth(columns) <= width) break;
    columns = columns.filter((column) => column.key !== key);
  }
  return columns;
}

const fillColumns = (theme: Theme): Column<FillView>[] => [
  { header: 'Filled at', width: 9, value: (f) => clockTime(f.time) },
  { header: 'Side', width: 4, value: (f) => f.side, color: (f) => sideColor(theme, f.side) },
  { header: 'Qty', width: 7, align: 'right', value: (f) => compact(f.qty) },
  { header: 'Symbol', width: 8, value: (f) => f.symbol },
  { header: 'Price', width: 13, value: (f) => `@ ${symbolPrice(f.symbol, f.price)}` },
  { header: 'Source', width: 16, value: (f) => f.source },
];

/**
 * Working orders (newest first, the selection among them) and, below, as many recent fills as
 * fit. Orders come first: fills only get the lines the orders leave, two at least (header + one).
 */
export const OrdersPane = memo(function OrdersPane({ state, width, height, focused, selected, theme }: PaneProps) {
  const orders = workingOrders(state);
  const fills = state.snapshot.fills;
  const body = Math.max(0, height - 1);
  const orderLines = fills.length === 0 ? body : Math.min(body, 1 + Math.max(1, orders.length));
  const fillLines = body - orderLines >= 2 ? body - orderLines : 0;
  const recentFills = fillLines > 0 ? fills.slice(-(fillLines - 1)).reverse() : [];
  return (
    <PaneFrame title="Orders" info={`${orders.length} working`} width={width} height={height} focused={focused} theme={theme}>
      <Table
        columns={columnsForWidth(theme, state.snapshot.time, width)}
        rows={orders}
        height={orderLines}
        width={width}
        theme={theme}
        selected={selected}
        empty="no working orders"
      />
      {fillLines > 0 ? <Table columns={fillColumns(theme)} rows={recentFills} height={fillLines} width={width} theme={theme} /> : null}
    </PaneFrame>
  );
});
