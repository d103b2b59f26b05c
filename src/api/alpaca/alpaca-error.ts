// Alpaca's error shape: {"code": 40110000, "message": "..."}, the code's first three digits the
// HTTP status (as Alpaca's Trading API v2 sends them), so a bot's error handling works unchanged.

export class AlpacaError extends Error {
  override readonly name = 'AlpacaError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notAuthorized = (): AlpacaError => new AlpacaError(401, 40110000, 'request is not authorized: send APCA-API-KEY-ID and APCA-API-SECRET-KEY (paper-trader api-keys shows them)');

export const notFound = (message: string): AlpacaError => new AlpacaError(404, 40410000, message);

export const alpacaBody = (error: AlpacaError): { code: number; message: string } => ({ code: error.code, message: error.message });

/** What Alpaca answers a request it cannot take (422, code 40010001). */
export const invalid = (message: string): AlpacaError => new AlpacaError(422, 40010001, message);
