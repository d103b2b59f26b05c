// What tells one API served on the port from another: its routes, how a request proves who sent it,
// and the shape of its errors. /api/paper speaks paper-trader's; /v2 speaks Alpaca's (alpaca/).
import type { IncomingMessage } from 'node:http';
import { ApiError, errorBody, INTERNAL_ERROR } from './api-error.ts';
import { bearerMatches } from './api-token.ts';
import { API_PREFIX, API_ROUTES, matchRoute, type HttpMethod, type RouteMatch } from './routes.ts';

/** An error as a reply: its status, body and headers; `unexpected` when it is the server's fault (logged). */
export interface ErrorReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  unexpected: boolean;
}

export interface Dialect {
  match(method: string, pathname: string): RouteMatch;
  /** Whether the request carries this API's credentials. */
  authorized(req: IncomingMessage): boolean;
  unauthorized(): Error;
  routeNotFound(method: string, pathname: string): Error;
  wrongMethod(pathname: string, method: string, allowed: readonly HttpMethod[]): Error;
  /** Any error thrown while serving a request (an ApiError of the shared steps too), in this API's shape. */
  reply(error: unknown): ErrorReply;
}

/** Every path served, once each, for the message of a path that is not one. */
// Named under their prefix: the whole list stays one short line.
const ROUTE_PATHS = [...new Set(API_ROUTES.map((route) => route.path.slice(API_PREFIX.length)))].join(', ');

/** paper-trader's own API: the bearer token, `{ "error": { "code", "message" } }`. */
export function paperDialect(token: string): Dialect {
  return {
    match: matchRoute,
    authorized: (req) => bearerMatches(req.headers.authorization, token),
    unauthorized: () => new ApiError(401, 'unauthorized', 'Missing or wrong API token; send the header "Authorization: Bearer <token>".', {}, { 'www-authenticate': 'Bearer' }),
    routeNotFound: (method, pathname) => new ApiError(404, 'route_not_found', `There is no route ${method} ${pathname}; the paths under ${API_PREFIX} are ${ROUTE_PATHS} (docs/openapi.json describes them).`),
    wrongMethod: (pathname, method, allowed) => new ApiError(405, 'method_not_allowed', `${pathname} does not take ${method}; use ${allowed.join(' or ')}.`, {}, { allow: allowed.join(', ') }),
    reply: (error) => {
      const apiError = error instanceof ApiError ? error : INTERNAL_ERROR();
      return { status: apiError.status, body: errorBody(apiError), headers: apiError.headers, unexpected: !(error instanceof ApiError) };
    },
  };
}
