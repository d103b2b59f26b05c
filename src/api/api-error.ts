// Every failure leaves the API as { error: { code, message } } with one status; nothing else escapes.

export const API_ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'forbidden_host',
  'route_not_found',
  'order_not_found',
  'alert_not_found',
  'method_not_allowed',
  'order_not_cancelable',
  'order_not_replaceable',
  'body_too_large',
  'order_rejected',
  'client_order_id_in_use',
  'strategy_rejected',
  'rate_limited',
  'too_many_streams',
  'internal_error',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** Extra fields beside code and message (e.g. the rejected order's id). */
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string } & Record<string, unknown>;
}

export const errorBody = (error: ApiError): ErrorBody => ({ error: { code: error.code, message: error.message, ...error.details } });

export const INTERNAL_ERROR = (): ApiError =>
  new ApiError(500, 'internal_error', 'The server hit an unexpected error; the request may not have been applied, see the server log.');

/** A client's value quoted for a message: JSON, cut at 40 characters so a huge input is not echoed whole. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
