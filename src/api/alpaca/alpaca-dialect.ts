// Alpaca's Trading API as a dialect of the server: its key headers, its routes, its error shape.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api-error.ts';
import { sameSecret } from '../api-token.ts';
import type { Dialect } from '../dialect.ts';
import { AlpacaError, alpacaBody, invalid, notAuthorized, notFound } from './alpaca-error.ts';
import { matchAlpacaRoute } from './alpaca-routes.ts';

/** An Alpaca-style key pair: a key id, and its secret. */
export interface AlpacaKeys {
  keyId: string;
  secret: string;
}

/** Alpaca's dialect; without keys every request is refused (401). */
export function alpacaDialect(keys: AlpacaKeys | undefined): Dialect {
  return {
    match: matchAlpacaRoute,
    authorized: (req) => keysMatch(req, keys),
    unauthorized: notAuthorized,
    routeNotFound: (method, pathname) => notFound(`route not found: ${method} ${pathname} (docs/alpaca-compat.md lists the routes served)`),
    wrongMethod: (pathname, _method, allowed) => new AlpacaError(405, 40510000, `method not allowed: ${pathname} takes ${allowed.join(' or ')}`, { allow: allowed.join(', ') }),
    reply: (error) => {
      // The shared steps (Host check, rate limit, body and query reading) throw paper-trader's errors:
      // a value it cannot take is Alpaca's 422 40010001, as the routes answer one; the rest keep their status.
      const alpacaError =
        error instanceof AlpacaError ? error
        : error instanceof ApiError ? (error.code === 'validation_failed' ? invalid(error.message) : new AlpacaError(error.status, error.status * 100_000, error.message))
        : new AlpacaError(500, 50010000, 'internal server error');
      const headers = error instanceof ApiError || error instanceof AlpacaError ? error.headers : {};
      return { status: alpacaError.status, body: alpacaBody(alpacaError), headers, unexpected: !(error instanceof AlpacaError) && !(error instanceof ApiError) };
    },
  };
}

/** Whether a request carries the key pair in Alpaca's two headers. */
function keysMatch(req: IncomingMessage, keys: AlpacaKeys | undefined): boolean {
  const header = (name: string): string => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : '';
  };
  return keyPairMatches(keys, header('apca-api-key-id'), header('apca-api-secret-key'));
}

/** Whether a key id and secret are the pair (none matches no pair): both compared, each in constant time. */
export function keyPairMatches(keys: AlpacaKeys | undefined, keyId: string, secret: string): boolean {
  if (!keys) return false;
  const id = sameSecret(keyId, keys.keyId);
  const secretMatches = sameSecret(secret, keys.secret);
  return id && secretMatches;
}
