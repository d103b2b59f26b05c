// The HTTP API over the engine: node:http, bearer auth, Host allow-list, rate limit, JSON in and out.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/index.ts';
import { redactKey } from '../engine/redact.ts';
import { ApiError } from './api-error.ts';
import { assertUsableToken } from './api-token.ts';
import { paperDialect } from './dialect.ts';
import { EventStreams } from './event-stream.ts';
import { defaultAllowedHosts, isAllowedHost } from './host-check.ts';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.ts';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './read-body.ts';
import { alpacaDialect, type AlpacaKeys } from './alpaca/alpaca-dialect.ts';
import { isAlpacaPath } from './alpaca/alpaca-routes.ts';
import { TRADE_UPDATES_PATH, TradeUpdates } from './alpaca/trade-updates.ts';
import { messageOf } from '../engine/errors.ts';

export type { AlpacaKeys };

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
  const dialects = { paper: paperDialect(token), alpaca: alpacaDialect(options.alpaca) };
  // Every secret either API takes stays out of replies, event streams and the log, whatever path or field a client put it in.
  const secrets = options.alpaca ? [token, options.alpaca.secret] : [token];
  const redact = (text: string): string => secrets.reduce((redacted, secret) => redactKey(redacted, secret), text);
  const log = options.log ? (line: string) => options.log!(redact(line)) : undefined;
  const streams = new EventStreams(engine, {
    redact,
    ...(options.maxEventStreams === undefined ? {} : { maxStreams: options.maxEventStreams }),
    ...(options.maxUnsentBytes === undefined ? {} : { maxUnsentBytes: options.maxUnsentBytes }),
    ...(log ? { log } : {}),
  });
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    // Alpaca's routes (/v2, /v3) take its key headers and answer in its error shape, on the same engine.
    const dialect = isAlpacaPath(pathname) ? dialects.alpaca : dialects.paper;
    let status = 500;
    try {
      if (!isAllowedHost(req.headers.host, allowedHosts)) {
        throw new ApiError(403, 'forbidden_host', 'The Host header is not one this server answers to; connect to it as 127.0.0.1 or localhost.');
      }
      const rate = limiter?.take(req.socket.remoteAddress ?? 'unknown');
      if (rate && !rate.ok) {
        throw new ApiError(429, 'rate_limited', `Too many requests from this client; retry in ${rate.retryAfterSeconds} s.`, {}, { 'retry-after': String(rate.retryAfterSeconds) });
      }
      if (!dialect.authorized(req)) throw dialect.unauthorized();
      const match = dialect.match(method, pathname);
      if (match.kind === 'not_found') throw dialect.routeNotFound(method, pathname);
      if (match.kind === 'wrong_method') throw dialect.wrongMethod(pathname, method, match.allowed);
      const result = await match.route.handle({
        engine,
        params: match.params,
        query: new URLSearchParams((req.url ?? '').slice(pathname.length + 1)),
        readBody: () => readJsonBody(req, maxBodyBytes),
        openEventStream: () => streams.open(req, res),
      });
      if (result === 'streaming') {
        status = 200;
        return;
      }
      status = result.status;
      sendJson(res, result.status, result.body, redact);
    } catch (error) {
      const reply = dialect.reply(error);
      if (reply.unexpected) log?.(`${method} ${pathname} failed: ${messageOf(error)}`.replace(/\s+/g, ' '));
      status = reply.status;
      if (res.headersSent) res.destroy();
      else sendJson(res, reply.status, reply.body, redact, reply.headers);
    } finally {
      log?.(`${method} ${pathname} ${status} ${(performance.now() - started).toFixed(1)} ms`);
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

function sendJson(res: ServerResponse, status: number, body: unknown, redact: (text: string) => string, headers: Record<string, string> = {}): void {
  // A client that echoes its token into a field (a symbol, a key) must not get it back in the reply.
  // 204: no body at all.
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = redact(JSON.stringify(body));
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
