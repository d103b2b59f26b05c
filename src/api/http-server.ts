// The HTTP API over the engine: node:http, bearer auth, Host allow-list, rate limit, JSON in and out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/index.ts';
import { redactKey } from '../engine/redact.ts';
import { ApiError, errorBody, INTERNAL_ERROR } from './api-error.ts';
import { assertUsableToken, bearerMatches, sameSecret } from './api-token.ts';
import { EventStreams } from './event-stream.ts';
import { defaultAllowedHosts, isAllowedHost } from './host-check.ts';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.ts';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './read-body.ts';
import { API_PREFIX, API_ROUTES, matchRoute } from './routes.ts';
import { AlpacaError, alpacaBody, notAuthorized, notFound } from './alpaca/alpaca-error.ts';
import { isAlpacaPath, matchAlpacaRoute } from './alpaca/alpaca-routes.ts';
import { TRADE_UPDATES_PATH, TradeUpdates } from './alpaca/trade-updates.ts';
import { messageOf } from '../engine/errors.ts';

/** Every path served, once each, for the message of a path that is not one. */
// Named under their prefix: the whole list stays one short line.
const ROUTE_PATHS = [...new Set(API_ROUTES.map((route) => route.path.slice(API_PREFIX.length)))].join(', ');

export interface HttpApiOptions {
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Every request must send `Authorization: Bearer <token>`. */
  token: string;
  /** Host header values accepted, as host:port (default 127.0.0.1, localhost and [::1] on the bound port). */
  allowedHosts?: string[];
  /** Largest request body accepted (default 16 KiB). */
  maxBodyBytes?: number;
  /** Token bucket per client address; false turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Event-stream clients served at once (default 100); one more gets a 503. */
  maxEventStreams?: number;
  /** Unsent bytes an event-stream client may have before it is told it is too slow and closed (default 1 MiB). */
  maxUnsentBytes?: number;
  /** One line per request and per server-side failure; never holds the token. */
  log?: (line: string) => void;
  /** The key pair Alpaca's API (/v2, /v3) takes in APCA-API-KEY-ID and APCA-API-SECRET-KEY; without it those routes answer 401. */
  alpaca?: AlpacaKeys;
}

/** An Alpaca-style key pair: a key id, and its secret. */
export interface AlpacaKeys {
  keyId: string;
  secret: string;
}

export interface HttpApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export async function startHttpApi(engine: Engine, options: HttpApiOptions): Promise<HttpApi> {
  assertUsableToken(options?.token);
  const token = options.token;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`the API port must be a whole number from 0 to 65535, got ${String(port)}`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new Error(`maxBodyBytes must be a whole number > 0, got ${String(maxBodyBytes)}`);
  const limiter = options.rateLimit === false ? undefined : new TokenBucketLimiter(options.rateLimit ?? {});
  const log = options.log ? (line: string) => options.log!(redactKey(line, token)) : undefined;
  const streams = new EventStreams(engine, {
    redact: (text) => redactKey(text, token),
    ...(options.maxEventStreams === undefined ? {} : { maxStreams: options.maxEventStreams }),
    ...(options.maxUnsentBytes === undefined ? {} : { maxUnsentBytes: options.maxUnsentBytes }),
    ...(log ? { log } : {}),
  });
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    let status = 500;
    try {
      if (!isAllowedHost(req.headers.host, allowedHosts)) {
        throw new ApiError(403, 'forbidden_host', 'The Host header is not one this server answers to; connect to it as 127.0.0.1 or localhost.');
      }
      const rate = limiter?.take(req.socket.remoteAddress ?? 'unknown');
      if (rate && !rate.ok) {
        throw new ApiError(429, 'rate_limited', `Too many requests from this client; retry in ${rate.retryAfterSeconds} s.`, {}, { 'retry-after': String(rate.retryAfterSeconds) });
      }
      // Alpaca's routes: its key headers and its error shape (alpaca/), on the same engine.
      if (isAlpacaPath(pathname)) {
        status = await serveAlpaca(req, res, method, pathname);
        return;
      }
      if (!bearerMatches(req.headers.authorization, token)) {
        throw new ApiError(401, 'unauthorized', 'Missing or wrong API token; send the header "Authorization: Bearer <token>".', {}, { 'www-authenticate': 'Bearer' });
      }
      const match = matchRoute(method, pathname);
      if (match.kind === 'not_found') {
        throw new ApiError(404, 'route_not_found', `There is no route ${method} ${pathname}; the paths under ${API_PREFIX} are ${ROUTE_PATHS} (docs/openapi.json describes them).`);
      }
      if (match.kind === 'wrong_method') {
        throw new ApiError(405, 'method_not_allowed', `${pathname} does not take ${method}; use ${match.allowed.join(' or ')}.`, {}, { allow: match.allowed.join(', ') });
      }
      const query = new URLSearchParams((req.url ?? '').slice(pathname.length + 1));
      const result = await match.route.handle({
        engine,
        params: match.params,
        query,
        readBody: () => readJsonBody(req, maxBodyBytes),
        openEventStream: () => streams.open(req, res),
      });
      if (result === 'streaming') {
        status = 200;
        return;
      }
      status = result.status;
      sendJson(res, result.status, result.body, token);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : INTERNAL_ERROR();
      if (!(error instanceof ApiError)) log?.(`${method} ${pathname} failed: ${messageOf(error)}`.replace(/\s+/g, ' '));
      status = apiError.status;
      if (res.headersSent) res.destroy();
      else sendJson(res, apiError.status, errorBody(apiError), token, apiError.headers);
    } finally {
      log?.(`${method} ${pathname} ${status} ${(performance.now() - started).toFixed(1)} ms`);
    }
  };

  /** One Alpaca request, answered in Alpaca's shapes; its status. */
  const serveAlpaca = async (req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<number> => {
    const secrets = options.alpaca ? [token, options.alpaca.secret] : [token];
    try {
      if (!alpacaKeysMatch(req, options.alpaca)) throw notAuthorized();
      const match = matchAlpacaRoute(method, pathname);
      if (match.kind === 'not_found') throw notFound(`route not found: ${method} ${pathname} (docs/alpaca-compat.md lists the routes served)`);
      if (match.kind === 'wrong_method') throw new AlpacaError(405, 40510000, `method not allowed: ${pathname} takes ${match.allowed.join(' or ')}`);
      const result = await match.route.handle({
        engine,
        params: match.params,
        query: new URLSearchParams((req.url ?? '').slice(pathname.length + 1)),
        readBody: () => readJsonBody(req, maxBodyBytes),
        openEventStream: () => {
          throw notFound('no event stream here');
        },
      });
      if (result === 'streaming') return 200;
      sendJson(res, result.status, result.body, secrets);
      return result.status;
    } catch (error) {
      if (!(error instanceof AlpacaError) && !(error instanceof ApiError)) log?.(`${method} ${pathname} failed: ${messageOf(error)}`.replace(/\s+/g, ' '));
      const alpacaError = error instanceof AlpacaError ? error : error instanceof ApiError ? new AlpacaError(error.status, error.status * 100_000, error.message) : new AlpacaError(500, 50010000, 'internal server error');
      sendJson(res, alpacaError.status, alpacaBody(alpacaError), secrets);
      return alpacaError.status;
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  // Alpaca's trade_updates stream: a WebSocket upgrade at /stream, on the same port and Host check.
  const tradeUpdates = options.alpaca ? new TradeUpdates(engine, options.alpaca) : undefined;
  server.on('upgrade', (req, socket, head) => {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (!tradeUpdates || pathname !== TRADE_UPDATES_PATH || !isAllowedHost(req.headers.host, allowedHosts)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    tradeUpdates.upgrade(req, socket, head);
  });
  // A bench or a script may keep one connection busy for a long while.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void =>
      reject(new Error(`the HTTP API cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use; pick another with --api-port' : error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  allowedHosts = new Set((options.allowedHosts ?? defaultAllowedHosts(host, bound)).map((h) => h.trim().toLowerCase()));
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        streams.closeAll();
        tradeUpdates?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, secrets: string | readonly string[], headers: Record<string, string> = {}): void {
  // A client that echoes its token into a field (a symbol, a key) must not get it back in the reply.
  // 204: no body at all.
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = [secrets].flat().reduce((json, secret) => redactKey(json, secret), JSON.stringify(body));
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Whether a request carries the Alpaca key pair: both headers, compared in constant time. */
function alpacaKeysMatch(req: IncomingMessage, keys: AlpacaKeys | undefined): boolean {
  const header = (name: string): string => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : '';
  };
  if (!keys) return false;
  const id = sameSecret(header('apca-api-key-id'), keys.keyId);
  const secret = sameSecret(header('apca-api-secret-key'), keys.secret);
  return id && secret;
}
