// Shared by the one-shot Polygon commands (quote, history, record): the REST client from the
// resolved settings (environment over config file), symbol checks, and the "did you mean" hint.
import type { Command } from 'commander';
import { DEFAULT_POLYGON_REST_URL, DEFAULT_POLYGON_WS_URL } from '../../engine/index.ts';
import type { PolygonRest } from '../../engine/market/polygon-rest.ts';
import { PolygonError } from '../../engine/market/polygon-schema.ts';
import { normalizeSymbol, suggestSymbol } from '../../engine/market/symbols.ts';
import { formatPrice, formatQty, type Price, type Qty } from '../../engine/money.ts';
import { groupThousands, price } from '../../ui/format.ts';
import { CommandError } from '../command-error.ts';
import { dataDir, dataDirFlag } from '../data-dir.ts';
import { loadPolygonSettings, NO_KEY_MESSAGE, type PolygonSettings } from '../polygon-settings.ts';

// Kept importable from here: the commands and bin/paper-trader.ts know it by this path.
export { CommandError } from '../command-error.ts';

export interface PolygonEnv {
  rest: PolygonRest;
  apiKey: string;
  wsUrl: string;
}

/**
 * The client for settings resolved by loadPolygonSettings / resolvePolygonSettings; no key is one
 * line. The REST client (client-js) is loaded here, by the commands that talk to Polygon only.
 */
export async function polygonFrom(settings: PolygonSettings, write: (line: string) => void = (line) => process.stderr.write(line)): Promise<PolygonEnv> {
  const apiKey = settings.apiKey?.trim();
  if (!apiKey) throw new CommandError(NO_KEY_MESSAGE);
  const baseUrl = settings.restUrl || DEFAULT_POLYGON_REST_URL;
  const wsUrl = settings.wsUrl || DEFAULT_POLYGON_WS_URL;
  const { PolygonRest } = await import('../../engine/market/polygon-rest.ts');
  const say = (line: string) => write(`paper-trader: ${line}\n`);
  const rest = new PolygonRest({
    apiKey,
    baseUrl,
    ...(settings.requestsPerMinute ? { requestsPerMinute: settings.requestsPerMinute } : {}),
    // A one-shot command shares the key's rate with everything else using it: it waits, saying how long, rather than give up.
    onRetry: (notice) => say(notice.message),
    onWait: (ms, what) => say(`waiting ${Math.ceil(ms / 1000)} s for Polygon's rate limit before asking for ${what}`),
  });
  return { rest, apiKey, wsUrl };
}

/** Settings for a subcommand's action: --data-dir may sit before or after the subcommand's name. */
export function settingsFor(command: Command): PolygonSettings {
  return loadPolygonSettings(dataDir(dataDirFlag(command)));
}

export function symbolArgument(input: string): string {
  const result = normalizeSymbol(input);
  if (!result.ok) throw new CommandError(result.error);
  return result.symbol;
}

const WELL_KNOWN = [
  'AAPL', 'MSFT', 'GOOGL', 'GOOG', 'AMZN', 'META', 'TSLA', 'NVDA', 'AMD', 'INTC', 'NFLX', 'SPY', 'QQQ', 'IWM', 'DIA',
  'JPM', 'BAC', 'WMT', 'KO', 'PEP', 'DIS', 'V', 'MA', 'XOM', 'CVX', 'ORCL', 'IBM', 'CSCO', 'ADBE', 'CRM', 'PYPL', 'UBER',
  'X:BTCUSD', 'X:ETHUSD', 'X:SOLUSD', 'C:EURUSD', 'C:GBPUSD', 'C:USDJPY', 'C:AUDUSD',
];

/** Tickers Polygon's search finds for the first letters of `symbol`; none on any failure (only a hint). */
async function searchTickers(polygon: PolygonEnv, symbol: string): Promise<string[]> {
  const prefix = symbol.replace(/^[XC]:/, '').slice(0, 2);
  if (prefix.length < 2) return [];
  try {
    const url = new URL(`${polygon.rest.baseUrl}/v3/reference/tickers`);
    url.searchParams.set('search', prefix);
    url.searchParams.set('active', 'true');
    url.searchParams.set('limit', '1000');
    const response = await fetch(url, { headers: { Authorization: `Bearer ${polygon.apiKey}` }, signal: AbortSignal.timeout(3000) });
    if (!response.ok) return [];
    const body = (await response.json()) as { results?: { ticker?: unknown }[] };
    return (body.results ?? []).map((r) => r.ticker).filter((t): t is string => typeof t === 'string');
  } catch {
    return [];
  }
}

/** The error for a ticker Polygon does not know, with a suggestion when one is close. */
export async function unknownSymbol(polygon: PolygonEnv, symbol: string): Promise<CommandError> {
  const known = new Set([...WELL_KNOWN, ...(await searchTickers(polygon, symbol))]);
  known.delete(symbol);
  const suggestion = suggestSymbol(symbol, known);
  return new CommandError(`Unknown symbol "${symbol}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
}

const isNotFound = (error: unknown): boolean => error instanceof PolygonError && error.kind === 'not_found';

/** Runs a request about `symbol`; a 404 for a ticker Polygon does not know becomes "Unknown symbol … (did you mean …?)". */
export async function knownSymbol<T>(polygon: PolygonEnv, symbol: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isNotFound(error) && !(await polygon.rest.tickerExists(symbol))) throw await unknownSymbol(polygon, symbol);
    throw error;
  }
}

export const priceText = (value: Price): string => price(formatPrice(value));

/** Shares or units with thousands grouped: 1400 → "1,400", 0.5 → "0.5". */
export function qtyText(value: Qty): string {
  const [whole = '0', fraction] = formatQty(value).split('.');
  const negative = whole.startsWith('-');
  return `${negative ? '-' : ''}${groupThousands(negative ? whole.slice(1) : whole)}${fraction ? `.${fraction}` : ''}`;
}

/** Unix ms → "2022-05-10 14:25:54.171 UTC" (or without milliseconds/seconds when asked). */
export function utcTime(ms: number, precision: 'ms' | 'minute' | 'day' = 'ms'): string {
  const iso = new Date(ms).toISOString();
  if (precision === 'day') return iso.slice(0, 10);
  if (precision === 'minute') return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}
