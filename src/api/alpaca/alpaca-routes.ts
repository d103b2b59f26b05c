// Alpaca's Trading API v2, served beside /api/paper on the same engine: the routes a bot written
// for Alpaca's paper account calls, answered as Alpaca answers them.
import { routeMatcher, type Route, type RouteResult } from '../routes.ts';
import { accountJson, clockJson, legacyClockJson } from './alpaca-views.ts';

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

export const ALPACA_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v2/account',
    handle: ({ engine }) => {
      const snapshot = engine.snapshot({ recent: 0, equityPoints: 1 });
      return ok(accountJson(snapshot, snapshot.account ?? 'paper', snapshot.equity[0]?.time ?? snapshot.time));
    },
  },
  { method: 'GET', path: '/v2/clock', handle: ({ engine }) => ok(legacyClockJson(engine.stockClock())) },
  { method: 'GET', path: '/v3/clock', handle: ({ engine }) => ok(clockJson(engine.stockClock())) },
];

export const matchAlpacaRoute = routeMatcher(ALPACA_ROUTES);

/** Whether a path is Alpaca's (/v2/…, /v3/…), answered with its auth and error shape. */
export const isAlpacaPath = (pathname: string): boolean => /^\/v[23]\//.test(pathname);
