// Alpaca's Trading API v2, served beside /api/paper on the same engine: the routes a bot written
// for Alpaca's paper account calls, answered as Alpaca answers them.
import { readOrderFields, validateOrderRequest, type Engine, type OrderChanges, type OrderRequest, type EngineSnapshot, type FillView, type OrderView, type PositionView, type TimeInForce } from '../../engine/index.ts';
import { ordersQuerySchema, parseOrThrow, tradesQuerySchema } from '../schemas.ts';
import { formatQty, parseDecimal, QTY_DECIMALS } from '../../engine/money.ts';
import { MAX_PAGE, seqOf, type HistoryCursor, type HistoryPage } from '../../engine/history-page.ts';
import { alpacaTrail, routeMatcher, type Route, type RouteResult } from '../routes.ts';
import { AlpacaError, alpacaBody, invalid, notFound } from './alpaca-error.ts';
import { engineSymbol, positionSymbol } from './alpaca-symbols.ts';
import { accountJson, alpacaAssetJson, alpacaOrderJson, alpacaPositionJson, clockJson, fillActivityJson, legacyClockJson } from './alpaca-views.ts';

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

const orderNotFound = (): AlpacaError => notFound('order not found');

/** Alpaca's default page of orders, and its most. */
const ORDERS_PAGE = 50;
const ORDERS_MAX = 500;

/**
 * An order body as Alpaca's client sends it, for the engine's one order schema: its fields are the
 * engine's snake_case spellings, its symbol the engine's ticker (BTC/USD is X:BTCUSD), a notional
 * the qty it buys at the quote now; position_intent is Alpaca's bookkeeping (ignored); multi-leg
 * (options) orders are refused, said so.
 */
function orderRequestOf(body: unknown, engine: Engine): OrderRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('an order must be a JSON object such as {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "market", "time_in_force": "day"}');
  const { notional, position_intent: _intent, legs, advanced_instructions: advanced, ...fields } = body as Record<string, unknown>;
  if (legs !== undefined && legs !== null) throw invalid('multi-leg (options) orders are not taken here');
  if (advanced !== undefined && advanced !== null) throw invalid('advanced_instructions are not taken here');
  if (typeof fields['symbol'] === 'string') fields['symbol'] = engineSymbol(fields['symbol'], engine.symbols);
  if (notional !== undefined && notional !== null) fields['qty'] = notionalQty(engine, fields, String(notional));
  const valid = validateOrderRequest(fields);
  if (!valid.ok) throw invalid(valid.error);
  return fields as unknown as OrderRequest;
}

/** The qty a notional market order trades: what the dollars buy at the ask (bring at the bid) now, in the order's lot. */
function notionalQty(engine: Engine, fields: Record<string, unknown>, notional: string): string {
  if (fields['qty'] !== undefined && fields['qty'] !== null) throw invalid('send qty or notional, not both');
  const type = String(fields['type'] ?? fields['order_type'] ?? 'market').toLowerCase();
  if (type !== 'market') throw invalid(`notional works with market orders only, as at Alpaca: send qty for a ${type} order`);
  const side = String(fields['side']).toLowerCase();
  if (side !== 'buy' && side !== 'sell') throw invalid(`side must be buy or sell, got "${String(fields['side'])}"`);
  const timeInForce = String(fields['time_in_force'] ?? fields['timeInForce'] ?? 'day').toLowerCase() as TimeInForce;
  const converted = engine.qtyForNotional(String(fields['symbol'] ?? ''), side, notional, { type: 'market', timeInForce });
  if (!converted.ok) throw invalid(converted.error);
  return converted.qty;
}

/** A refused order as Alpaca answers it: 403 for buying power or shares already held by working sells ("insufficient qty available"), 422 for the rest. */
const refusal = (reason: string): AlpacaError =>
  /buying power|not enough cash|available to sell/i.test(reason) ? new AlpacaError(403, 40310000, reason) : new AlpacaError(422, 42210000, reason);


/** The position of a symbol (Alpaca's path names it, BTCUSD or BTC/USD for a pair, or its asset id, X:BTCUSD), or 404. */
function positionOf(snapshot: EngineSnapshot, symbol: string): PositionView {
  const positions = snapshot.portfolio.positions;
  const wanted = engineSymbol(symbol, positions.map((p) => p.symbol)).toUpperCase();
  const position = positions.find((p) => p.symbol.toUpperCase() === wanted);
  if (!position) throw notFound('position does not exist');
  return position;
}

/** A quantity as exact units (QTY_DECIMALS), or 422 naming the field. */
function qtyUnits(text: string, field: string): bigint {
  const parsed = parseDecimal(text, QTY_DECIMALS);
  if (!parsed.ok) throw invalid(`${field} ${parsed.error}, got "${text}"`);
  return parsed.value;
}

/** The qty a close takes: all of it, `qty` of it, or `percentage` percent of it (cut to the engine's decimals, never over). */
function closingQty(position: PositionView, query: URLSearchParams): string {
  const held = position.qty.replace(/^-/, '');
  const heldUnits = qtyUnits(held, 'the position');
  const qty = query.get('qty');
  const percentage = query.get('percentage');
  if (qty !== null && percentage !== null) throw invalid('send qty or percentage, not both');
  if (qty !== null) {
    const units = qtyUnits(qty, 'qty');
    if (units <= 0n || units > heldUnits) throw invalid(`qty must be above 0 and at most the ${held} held, got "${qty}"`);
    return qty;
  }
  if (percentage !== null) {
    // A percentage as finely as a quantity: 33.333333333 of 3 shares is 0.999999999.
    const parsed = parseDecimal(percentage, QTY_DECIMALS);
    if (!parsed.ok) throw invalid(`percentage ${parsed.error} (at most ${QTY_DECIMALS} decimals), got "${percentage}"`);
    const hundred = 100n * 10n ** BigInt(QTY_DECIMALS);
    if (parsed.value <= 0n || parsed.value > hundred) throw invalid(`percentage must be above 0 and at most 100, got "${percentage}"`);
    const units = (heldUnits * parsed.value) / hundred;
    if (units === 0n) throw invalid(`${percentage}% of the ${held} held is less than the smallest qty`);
    return formatQty(units);
  }
  return held;
}

/** A market order that closes `qty` of the position; refused as Alpaca refuses. */
function close(engine: Engine, position: PositionView, qty: string): OrderView {
  const side = position.qty.startsWith('-') ? 'buy' : 'sell';
  const order = engine.submitOrder({ symbol: position.symbol, side, qty, type: 'market' }, 'api');
  if (order.status === 'rejected') throw refusal(order.reason ?? 'the order was rejected');
  return order;
}

/** Positions in Alpaca's fields, from one snapshot: its quotes give each one's previous close. */
function positionsJson(engine: Engine, positions: readonly PositionView[], snapshot: EngineSnapshot) {
  return positions.map((position) =>
    alpacaPositionJson(position, snapshot.quotes.find((q) => q.symbol === position.symbol), position.qty.startsWith('-') ? position.qty.replace(/^-/, '') : engine.sellableQty(position.symbol)),
  );
}

const books = (engine: Engine): EngineSnapshot => engine.snapshot({ recent: 0, equityPoints: 1 });

/** Activities Alpaca pages by, and its most. */
const ACTIVITIES_PAGE = 100;

/**
 * The account's activities as Alpaca lists them: here its FILLs (splits and dividends are at
 * /api/paper/corporate-actions), newest first unless `direction=asc`, `page_size` at a time after
 * `page_token` (the last id of the page before).
 */
function activities(engine: Engine, query: URLSearchParams, types: readonly string[] | undefined): unknown[] {
  if (types && !types.includes('FILL')) return [];
  const size = query.get('page_size') === null ? ACTIVITIES_PAGE : Number(query.get('page_size'));
  if (!Number.isInteger(size) || size < 1 || size > ACTIVITIES_PAGE) throw invalid(`page_size must be a whole number from 1 to ${ACTIVITIES_PAGE}`);
  const { after, until, direction = 'desc' } = parseOrThrow(tradesQuerySchema, { after: query.get('after') ?? undefined, until: query.get('until') ?? undefined, direction: query.get('direction') ?? undefined });
  const token = query.get('page_token');
  if (token !== null && !isFillId(engine, token)) throw invalid(`page_token must be the id of an activity listed before, such as f-12 (the last of the page before), got "${token.slice(0, 40)}"`);
  // The page token is where the page before stopped: the cursor in the direction read.
  const page = engine.fillHistory({
    limit: size,
    direction,
    ...(direction === 'asc' ? { after: token ? { id: token } : after, until } : { after, until: token ? { id: token } : until }),
  }).items;
  const cumulative = filledWith(engine, page);
  return page.map((fill) => {
    const order = engine.order(fill.orderId);
    return fillActivityJson(fill, qtyUnits(order?.qty ?? fill.qty, 'qty'), cumulative.get(fill.id) ?? qtyUnits(fill.qty, 'qty'), order?.status ?? 'filled');
  });
}

/** Whether `id` is a fill's: f-N, N no later than the newest fill. */
function isFillId(engine: Engine, id: string): boolean {
  const newest = engine.fillHistory({ direction: 'desc', limit: 1 }).items[0];
  return /^f-[1-9]\d{0,15}$/.test(id) && newest !== undefined && seqOf(id) <= seqOf(newest.id);
}

/**
 * What each fill's order had filled with it (Alpaca's cum_qty), by fill id. A fill keeps it; one
 * saved before fills kept it has it counted from its order's fills, read once for the page from
 * the earliest such order's start (at most a history page of them).
 */
function filledWith(engine: Engine, page: readonly FillView[]): Map<string, bigint> {
  const cumulative = new Map<string, bigint>();
  const unknown = page.filter((fill) => fill.orderFilledQty === null);
  for (const fill of page) if (fill.orderFilledQty !== null) cumulative.set(fill.id, qtyUnits(fill.orderFilledQty, 'qty'));
  if (unknown.length === 0) return cumulative;
  const orders = new Set(unknown.map((fill) => fill.orderId));
  const from = Math.min(...unknown.map((fill) => engine.order(fill.orderId)?.createdAt ?? fill.time));
  const last = Math.max(...unknown.map((fill) => seqOf(fill.id)));
  const running = new Map<string, bigint>();
  for (const fill of engine.fillHistory({ after: { time: from - 1 }, until: { id: `f-${last + 1}` }, direction: 'asc', limit: MAX_PAGE }).items) {
    if (!orders.has(fill.orderId)) continue;
    const total = (running.get(fill.orderId) ?? 0n) + qtyUnits(fill.qty, 'qty');
    running.set(fill.orderId, total);
    if (!cumulative.has(fill.id)) cumulative.set(fill.id, total);
  }
  return cumulative;
}

const PERIOD_MS: Readonly<Record<string, number>> = { '1D': 86_400_000, '1W': 7 * 86_400_000, '1M': 30 * 86_400_000, '3M': 91 * 86_400_000, '6M': 182 * 86_400_000, '1A': 365 * 86_400_000 };

/** The most points a portfolio history has, sampled evenly over its period. */
const HISTORY_POINTS = 1_000;

/** The equity over `period` (default 1M) as Alpaca's portfolio history: parallel arrays, seconds. */
function portfolioHistory(engine: Engine, query: URLSearchParams) {
  const period = query.get('period') ?? '1M';
  const span = PERIOD_MS[period];
  if (span === undefined) throw invalid(`period must be one of ${Object.keys(PERIOD_MS).join(', ')}`);
  const snapshot = books(engine);
  const points = engine.equitySince(snapshot.time - span, HISTORY_POINTS);
  const base = Number(points[0]?.equity ?? snapshot.portfolio.totalEquity);
  const equity = points.map((point) => Number(point.equity));
  return {
    timestamp: points.map((point) => Math.floor(point.time / 1000)),
    equity,
    profit_loss: equity.map((value) => Math.round((value - base) * 100) / 100),
    profit_loss_pct: equity.map((value) => (base === 0 ? 0 : Math.round(((value - base) / base) * 1e6) / 1e6)),
    base_value: base,
    timeframe: query.get('timeframe') ?? '1Min',
  };
}

/**
 * Up to `most` of what `read` lists that `keep` takes, reading a page after another (each past the
 * last one read) rather than the whole history.
 */
function collect<T extends { id: string }>(read: (cursor: { after?: HistoryCursor; until?: HistoryCursor }) => HistoryPage<T>, keep: (item: T) => boolean, direction: 'asc' | 'desc', most: number): T[] {
  const found: T[] = [];
  let cursor = {};
  for (;;) {
    const page = read(cursor);
    found.push(...page.items.filter(keep));
    const last = page.items.at(-1);
    if (found.length >= most || !page.more || !last) return found.slice(0, most);
    cursor = direction === 'asc' ? { after: { id: last.id } } : { until: { id: last.id } };
  }
}

function existing(engine: Engine, id: string): OrderView {
  const order = engine.order(id);
  if (!order) throw orderNotFound();
  return order;
}

export const ALPACA_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v2/account',
    handle: ({ engine }) => {
      const snapshot = books(engine);
      return ok(accountJson(snapshot, snapshot.account ?? 'paper', engine.accountOpenedAt ?? snapshot.time));
    },
  },
  { method: 'GET', path: '/v2/clock', handle: ({ engine }) => ok(legacyClockJson(engine.stockClock())) },
  {
    method: 'POST',
    path: '/v2/orders',
    handle: async ({ engine, readBody }) => {
      const request = orderRequestOf(await readBody(), engine);
      const clientOrderId = (request as { client_order_id?: string; clientOrderId?: string }).client_order_id ?? request.clientOrderId;
      if (clientOrderId !== undefined && engine.orderByClientOrderId(String(clientOrderId))) throw invalid('client_order_id must be unique');
      const order = engine.submitOrder(request, 'api');
      if (order.status === 'rejected') throw refusal(order.reason ?? 'the order was rejected');
      return ok(alpacaOrderJson(order, engine));
    },
  },
  {
    method: 'GET',
    path: '/v2/orders',
    handle: ({ engine, query }) => {
      // Alpaca's query, read as /api/paper's (status, after, until, direction), plus its own limit, nested and symbols.
      const { nested, symbols, limit, ...paging } = Object.fromEntries(query);
      const { status = 'open', after, until, direction = 'desc' } = parseOrThrow(ordersQuerySchema, paging);
      const most = limit === undefined ? ORDERS_PAGE : Number(limit);
      if (!Number.isInteger(most) || most < 1 || most > ORDERS_MAX) throw invalid(`limit must be a whole number from 1 to ${ORDERS_MAX}`);
      const wanted = symbols ? new Set(symbols.split(',').map((symbol) => engineSymbol(symbol, engine.symbols).toUpperCase())) : undefined;
      const isNested = nested === 'true';
      const items = collect(
        // Pages of ORDERS_MAX (the most a reply lists): a filter that keeps few orders reads few pages.
        (cursor) => engine.orderHistory({ status, direction, limit: ORDERS_MAX, ...(after === undefined ? {} : { after }), ...(until === undefined ? {} : { until }), ...cursor }),
        (order) => (!wanted || wanted.has(order.symbol.toUpperCase())) && (!isNested || order.parentId === null),
        direction,
        most,
      );
      return ok(items.map((order) => alpacaOrderJson(order, engine, isNested)));
    },
  },
  {
    method: 'DELETE',
    path: '/v2/orders',
    handle: ({ engine }) => {
      const open = engine.orderHistory({ status: 'open', limit: 10_000 }).items;
      engine.cancelAllOrders();
      // 207, each order with its own status, as Alpaca's.
      return ok(open.map((order) => ({ id: order.id, status: 200, body: alpacaOrderJson(existing(engine, order.id), engine) })), 207);
    },
  },
  {
    method: 'GET',
    path: '/v2/orders:by_client_order_id',
    handle: ({ engine, query }) => {
      const clientOrderId = query.get('client_order_id');
      if (!clientOrderId) throw invalid('client_order_id is required: GET /v2/orders:by_client_order_id?client_order_id=...');
      const order = engine.orderByClientOrderId(clientOrderId);
      if (!order) throw orderNotFound();
      return ok(alpacaOrderJson(order, engine));
    },
  },
  {
    method: 'GET',
    path: '/v2/orders/{id}',
    handle: ({ engine, params }) => ok(alpacaOrderJson(existing(engine, params.id ?? ""), engine)),
  },
  {
    method: 'PATCH',
    path: '/v2/orders/{id}',
    handle: async ({ engine, params, readBody }) => {
      const order = existing(engine, params.id ?? '');
      // Alpaca's replace may repeat the time in force and name a client_order_id: the same ones are kept; others are not taken.
      const { time_in_force: tif, client_order_id: clientId, ...rest } = (alpacaTrail(await readBody(), order) ?? {}) as Record<string, unknown>;
      if (tif !== undefined && String(tif).toLowerCase() !== order.timeInForce) throw invalid(`time_in_force cannot change on a replace here (it is ${order.timeInForce})`);
      // An order placed without one shows its id as its client_order_id: a bot may send that back.
      if (clientId !== undefined && clientId !== (order.clientOrderId ?? order.id)) throw invalid('client_order_id cannot change on a replace here');
      const read = readOrderFields(rest);
      if (!read.ok) throw invalid(read.error);
      const outcome = engine.replaceOrder(order.id, rest as OrderChanges);
      if (!outcome.ok) throw new AlpacaError(422, 42210000, outcome.error);
      return ok(alpacaOrderJson(outcome.order, engine));
    },
  },
  {
    method: 'DELETE',
    path: '/v2/orders/{id}',
    handle: ({ engine, params }) => {
      const order = existing(engine, params.id ?? '');
      const outcome = engine.cancelOrder(order.id, 'canceled over the Alpaca API');
      if (!outcome.ok) throw new AlpacaError(422, 42210000, `order is not cancelable: it is ${order.status}`);
      return ok(undefined, 204);
    },
  },
  {
    method: 'GET',
    path: '/v2/positions',
    handle: ({ engine }) => {
      const snapshot = books(engine);
      return ok(positionsJson(engine, snapshot.portfolio.positions, snapshot));
    },
  },
  {
    method: 'GET',
    path: '/v2/positions/{symbol}',
    handle: ({ engine, params }) => {
      const snapshot = books(engine);
      return ok(positionsJson(engine, [positionOf(snapshot, params.symbol ?? '')], snapshot)[0]);
    },
  },
  {
    method: 'DELETE',
    path: '/v2/positions/{symbol}',
    handle: ({ engine, params, query }) => {
      const position = positionOf(books(engine), params.symbol ?? '');
      return ok(alpacaOrderJson(close(engine, position, closingQty(position, query)), engine));
    },
  },
  {
    method: 'DELETE',
    path: '/v2/positions',
    handle: ({ engine, query }) => {
      // cancel_orders=true first frees what working orders hold (a working sell holds shares a close needs).
      if (query.get('cancel_orders') === 'true') engine.cancelAllOrders();
      const positions = books(engine).portfolio.positions;
      return ok(
        positions.map((position) => {
          try {
            return { symbol: positionSymbol(position.symbol), status: 200, body: alpacaOrderJson(close(engine, position, position.qty.replace(/^-/, '')), engine) };
          } catch (error) {
            if (!(error instanceof AlpacaError)) throw error;
            return { symbol: positionSymbol(position.symbol), status: error.status, body: alpacaBody(error) };
          }
        }),
        207,
      );
    },
  },
  {
    method: 'GET',
    path: '/v2/assets',
    // The tickers this run trades (the watchlist): Alpaca lists its whole universe; GET /v2/assets/{symbol} asks the market for any other.
    handle: ({ engine, query }) => {
      const assetClass = query.get('asset_class');
      return ok(engine.symbols.map((symbol) => alpacaAssetJson(symbol, '')).filter((asset) => assetClass === null || asset.class === assetClass));
    },
  },
  {
    method: 'GET',
    path: '/v2/assets/{symbol}',
    handle: async ({ engine, params }) => {
      const asked = (params.symbol ?? '').trim();
      const wanted = engineSymbol(asked, engine.symbols);
      const known = engine.symbols.find((symbol) => symbol.toUpperCase() === wanted.toUpperCase());
      if (known) return ok(alpacaAssetJson(known, ''));
      const match = (await engine.searchSymbols(wanted, 50)).find((ticker) => ticker.symbol.toUpperCase() === wanted.toUpperCase());
      if (!match) throw notFound(`asset not found: ${asked}`);
      return ok(alpacaAssetJson(match.symbol, match.name));
    },
  },
  {
    method: 'GET',
    path: '/v2/account/activities',
    handle: ({ engine, query }) => ok(activities(engine, query, query.get('activity_types')?.split(',').map((type) => type.trim().toUpperCase()))),
  },
  { method: 'GET', path: '/v2/account/activities/{type}', handle: ({ engine, params, query }) => ok(activities(engine, query, [(params.type ?? '').toUpperCase()])) },
  { method: 'GET', path: '/v2/account/portfolio/history', handle: ({ engine, query }) => ok(portfolioHistory(engine, query)) },
  { method: 'GET', path: '/v3/clock', handle: ({ engine }) => ok(clockJson(engine.stockClock())) },
];

export const matchAlpacaRoute = routeMatcher(ALPACA_ROUTES);

/** Whether a path is Alpaca's (/v2/…, /v3/…), answered with its auth and error shape. */
export const isAlpacaPath = (pathname: string): boolean => /^\/v[23]\//.test(pathname);
