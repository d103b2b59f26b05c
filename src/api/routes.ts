// The route table: every method and path the API serves, with its handler. The OpenAPI test reads it.
import { EngineInputError, isWorking, readOrderFields, validateOrderRequest, type Engine, type HistoryPage, type OrderChanges, type OrderRequest, type RiskLimitChanges } from '../engine/index.ts';
import { ApiError, showValue } from './api-error.ts';
import { readBorrowRateSetting } from '../engine/portfolio/borrow-fees.ts';
import { alertBodySchema, candlesQuerySchema, metricsQuerySchema, ordersQuerySchema, parseOrThrow, strategyBodySchema, tradesQuerySchema } from './schemas.ts';
import { actionJson, alertJson, orderJson, performanceJson, portfolioJson, quoteJson, riskJson, statusJson, strategyJson, tradeJson } from './views.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  engine: Engine;
  params: Record<string, string>;
  query: URLSearchParams;
  readBody(): Promise<unknown>;
  /** Hands the response over to a server-sent event stream. */
  openEventStream(): void;
}

/** A JSON reply, or 'streaming' when the handler took the response over. */
export type RouteResult = { status: number; body: unknown } | 'streaming';

export interface Route {
  method: HttpMethod;
  /** OpenAPI-style template: /api/paper/orders/{id}. */
  path: string;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

export const API_PREFIX = '/api/paper';

/**
 * Alpaca's replace names a trailing stop's new trail `trail`, in the kind the order already has
 * (a price or a percent): it becomes trail_price or trail_percent here.
 */
export function alpacaTrail(body: unknown, order: { trailPercent: string | null } | undefined): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('trail' in body)) return body;
  const { trail, ...rest } = body as Record<string, unknown>;
  return { ...rest, [order?.trailPercent != null ? 'trail_percent' : 'trail_price']: trail };
}
const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const orderNotFound = (id: string): ApiError => new ApiError(404, 'order_not_found', `No order has the id ${showValue(id)}; list them with GET ${API_PREFIX}/orders?status=all.`);
const queryObject = (query: URLSearchParams): Record<string, string> => Object.fromEntries(query);

/** The request for the page after this one (the same query, its cursor moved past the page), or null at the end. */
function nextPage(path: string, query: URLSearchParams, page: HistoryPage<{ id: string }>): string | null {
  const { items, more } = page;
  if (!more || items.length === 0) return null;
  const next = new URLSearchParams(query);
  const direction = query.get('direction');
  if (direction === 'asc') next.set('after', items.at(-1)!.id);
  else next.set('until', (direction === 'desc' ? items.at(-1) : items[0])!.id);
  return `${path}?${next}`;
}

export const API_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: `${API_PREFIX}/portfolio`,
    // The books and metrics cover every order and fill whatever `recent` keeps in the lists.
    handle: ({ engine }) => ok(portfolioJson(engine.snapshot({ recent: 0, equityPoints: 1 }))),
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/trades`,
    handle: ({ engine, query }) => {
      const page = engine.fillHistory(parseOrThrow(tradesQuerySchema, queryObject(query)));
      return ok({ trades: page.items.map(tradeJson), next: nextPage(`${API_PREFIX}/trades`, query, page) });
    },
  },
  {
    method: 'POST',
    path: `${API_PREFIX}/order`,
    handle: async ({ engine, readBody }) => {
      // The engine's one order schema, so HTTP, the screen, strategies and programs never disagree.
      const body = await readBody();
      const valid = validateOrderRequest(body);
      if (!valid.ok) throw new ApiError(400, 'validation_failed', sentence(valid.error));
      const clientOrderId = valid.value.clientOrderId;
      const first = clientOrderId === undefined ? undefined : engine.orderByClientOrderId(clientOrderId);
      if (first) {
        throw new ApiError(422, 'client_order_id_in_use', `client_order_id ${showValue(clientOrderId)} is already used by order ${first.id}: each order needs its own.`, { order_id: first.id });
      }
      const order = engine.submitOrder(body as OrderRequest, 'api');
      if (order.status === 'rejected') {
        throw new ApiError(422, 'order_rejected', sentence(order.reason ?? 'the engine rejected the order'), { order_id: order.id });
      }
      return ok(orderJson(order, engine), 201);
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/orders`,
    handle: ({ engine, query }) => {
      const { status = 'open', ...paging } = parseOrThrow(ordersQuerySchema, queryObject(query));
      const page = engine.orderHistory({ status, ...paging });
      return ok({ orders: page.items.map((order) => orderJson(order, engine)), next: nextPage(`${API_PREFIX}/orders`, query, page) });
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/orders/{id}`,
    handle: ({ engine, params }) => {
      const order = engine.order(params.id ?? '');
      if (!order) throw orderNotFound(params.id ?? '');
      return ok(orderJson(order, engine));
    },
  },
  {
    method: 'PATCH',
    path: `${API_PREFIX}/orders/{id}`,
    handle: async ({ engine, params, readBody }) => {
      // Replaces in place: the same order, its fills kept; qty is the new whole qty, as Alpaca's.
      const id = params.id ?? '';
      const existing = engine.order(id);
      const body = alpacaTrail(await readBody(), existing);
      const read = readOrderFields(body);
      if (!read.ok) throw new ApiError(400, 'validation_failed', sentence(read.error));
      if (!existing) throw orderNotFound(id);
      if (!isWorking(existing)) {
        throw new ApiError(409, 'order_not_replaceable', `Order ${existing.id} is already ${existing.status}; only open orders can be replaced.`, { order_id: existing.id, status: existing.status });
      }
      const outcome = engine.replaceOrder(id, body as OrderChanges);
      if (!outcome.ok) throw new ApiError(422, 'order_rejected', sentence(outcome.error), { order_id: existing.id });
      return ok(orderJson(outcome.order, engine));
    },
  },
  {
    method: 'DELETE',
    path: `${API_PREFIX}/orders/{id}`,
    handle: ({ engine, params }) => {
      const id = params.id ?? '';
      const outcome = engine.cancelOrder(id, 'canceled over the HTTP API');
      if (outcome.ok) return ok(orderJson(outcome.order, engine));
      const existing = engine.order(id);
      if (!existing) throw orderNotFound(id);
      throw new ApiError(409, 'order_not_cancelable', `Order ${existing.id} is already ${existing.status}; only open orders can be canceled.`, { order_id: existing.id, status: existing.status });
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/quotes`,
    handle: ({ engine }) => ok({ quotes: engine.snapshot({ recent: 0 }).quotes.map(quoteJson) }),
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/status`,
    handle: ({ engine }) => ok(statusJson(engine.snapshot({ recent: 0 }))),
  },
  {
    method: 'PUT',
    path: `${API_PREFIX}/strategy`,
    handle: async ({ engine, readBody }) => {
      const body = parseOrThrow(strategyBodySchema, await readBody());
      try {
        if (body.name === null) engine.clearStrategy();
        else engine.setStrategy(body.name, body.params ?? {});
      } catch (error) {
        if (error instanceof EngineInputError) throw new ApiError(422, 'strategy_rejected', sentence(error.message));
        throw error;
      }
      return ok({ strategy: strategyJson(engine.snapshot({ recent: 0 }).strategy) });
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/corporate-actions`,
    handle: ({ engine }) => ok({ actions: engine.corporateActions().map(actionJson) }),
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/metrics`,
    // Sharpe, Sortino, CAGR and drawdown of this run's equity; trade statistics for the account, per symbol and per owner.
    handle: ({ engine, query }) => {
      const { risk_free_rate: riskFreeRate } = parseOrThrow(metricsQuerySchema, queryObject(query));
      return ok(performanceJson(engine.performance(riskFreeRate === undefined ? {} : { riskFreeRate })));
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/risk`,
    handle: ({ engine }) => ok(riskJson(engine.risk())),
  },
  {
    method: 'PATCH',
    path: `${API_PREFIX}/risk`,
    handle: async ({ engine, readBody }) => {
      // Each limit in dollars (max_open_orders: orders), or null to turn it off, and pattern_day_trader
      // true or false; all of them change, or none.
      const body = await readBody();
      const { pdt, borrowRate, limits } = splitAccountRules(body);
      try {
        // The margin rules were checked already: only the limits may still fail, and they go first.
        let view = limits === undefined ? engine.risk() : engine.setRiskLimits(limits as RiskLimitChanges);
        if (borrowRate !== undefined) view = engine.setBorrowRate(borrowRate);
        if (pdt !== undefined) view = engine.setPatternDayTrader(pdt);
        return ok(riskJson(view));
      } catch (error) {
        if (error instanceof EngineInputError) throw new ApiError(400, 'validation_failed', sentence(error.message));
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: `${API_PREFIX}/kill-switch`,
    handle: ({ engine }) => {
      const { canceled } = engine.engageKillSwitch();
      return ok({ ...riskJson(engine.risk()), canceled });
    },
  },
  {
    method: 'DELETE',
    path: `${API_PREFIX}/kill-switch`,
    handle: ({ engine }) => {
      engine.releaseKillSwitch();
      return ok(riskJson(engine.risk()));
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/alerts`,
    handle: ({ engine }) => ok({ alerts: engine.alerts().map(alertJson) }),
  },
  {
    method: 'POST',
    path: `${API_PREFIX}/alerts`,
    // {"symbol":"AAPL","kind":"above","price":"190"} once, or {"symbol":"AAPL","kind":"fill"} at each fill.
    handle: async ({ engine, readBody }) => {
      const body = parseOrThrow(alertBodySchema, await readBody());
      return ok(alertJson(refusedAs(400, () => engine.addAlert(body))), 201);
    },
  },
  {
    method: 'DELETE',
    path: `${API_PREFIX}/alerts/{id}`,
    handle: ({ engine, params }) => {
      const id = params.id ?? '';
      if (!engine.alerts().some((alert) => alert.id === id)) throw new ApiError(404, 'alert_not_found', `No alert has the id ${showValue(id)}; list them with GET ${API_PREFIX}/alerts.`);
      return ok(alertJson(engine.removeAlert(id)));
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/candles/{symbol}`,
    // ?range=1D (5-minute candles), 5D (30-minute) or 1M (a New York day each).
    handle: async ({ engine, params, query }) => {
      const { range } = parseOrThrow(candlesQuerySchema, queryObject(query));
      return ok(await refusedAs(400, () => engine.candles(params.symbol ?? '', range)));
    },
  },
  {
    method: 'GET',
    path: `${API_PREFIX}/events`,
    handle: ({ openEventStream }) => {
      openEventStream();
      return 'streaming';
    },
  },
];

/** Runs an engine command; its EngineInputError becomes a validation error of `status`. */
function refusedAs<T>(status: number, command: () => T): T {
  try {
    return command();
  } catch (error) {
    if (error instanceof EngineInputError) throw new ApiError(status, 'validation_failed', sentence(error.message));
    throw error;
  }
}

/** The engine's reasons are lower-case clauses; the API's messages are sentences. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  // Paths hold only letters, slashes and {params}: nothing to escape.
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong_method'; allowed: HttpMethod[] }
  | { kind: 'not_found' };

/** A matcher of method and path against a route table (this one's, or Alpaca's). */
export function routeMatcher(routes: readonly Route[]): (method: string, pathname: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, pathname) => matchIn(compiled, method, pathname);
}

export const matchRoute = routeMatcher(API_ROUTES);

function matchIn(compiled: readonly CompiledRoute[], method: string, pathname: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const { route, pattern, names } of compiled) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [index, name] of names.entries()) {
      const raw = match[index + 1] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        throw new ApiError(400, 'bad_request', `The path segment ${showValue(raw)} is not valid percent-encoding.`);
      }
    }
    return { kind: 'found', route, params };
  }
  return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'not_found' };
}

/**
 * A risk PATCH's margin rules (either spelling): the pattern-day-trader switch, checked here, and
 * the borrow rate; and the limits beside them (undefined when none came).
 */
function splitAccountRules(body: unknown): { pdt: boolean | undefined; borrowRate: string | number | null | undefined; limits: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { pdt: undefined, borrowRate: undefined, limits: body };
  const { pattern_day_trader: pdtSnake, patternDayTrader: pdtCamel, borrow_rate: rateSnake, borrowRate: rateCamel, ...limits } = body as Record<string, unknown>;
  const pdt = pdtSnake ?? pdtCamel;
  const borrowRate = rateSnake !== undefined ? rateSnake : rateCamel;
  if (pdt !== undefined && typeof pdt !== 'boolean') throw new ApiError(400, 'validation_failed', `pattern_day_trader must be true or false, got ${showValue(pdt)}.`);
  const rate = borrowRate === undefined ? undefined : readBorrowRateSetting(borrowRate, 'borrow_rate');
  if (rate && 'error' in rate) throw new ApiError(400, 'validation_failed', sentence(rate.error));
  const given = pdt !== undefined || borrowRate !== undefined;
  return { pdt, borrowRate: borrowRate as string | number | null | undefined, limits: given && Object.keys(limits).length === 0 ? undefined : limits };
}
