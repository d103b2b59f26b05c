// The HTTP API's public names, for the CLI (--api) and for programs.
export { startHttpApi, type AlpacaKeys, type HttpApi, type HttpApiOptions } from './http-server.ts';
export { ALPACA_ROUTES } from './alpaca/alpaca-routes.ts';
export { generateApiToken, MIN_TOKEN_LENGTH } from './api-token.ts';
export { defaultAllowedHosts } from './host-check.ts';
export { DEFAULT_BURST, DEFAULT_RATE_PER_SECOND, type RateLimitOptions } from './rate-limit.ts';
export { DEFAULT_MAX_BODY_BYTES } from './read-body.ts';
export { API_PREFIX, API_ROUTES } from './routes.ts';
export { KEEP_ALIVE_MS, SSE_EVENT_NAMES } from './event-stream.ts';
export { API_ERROR_CODES, type ApiErrorCode, type ErrorBody } from './api-error.ts';
