// The fake's splits and dividends, /v3/reference/splits and /v3/reference/dividends, as strict as
// Polygon's: results in client-js 8.2's shapes (ListStockSplits200Response, ListDividends200Response),
// a default limit of 10 and a maximum of 1000 (a larger one is a 400), the `ticker` filter
// case-sensitive, the date filters as `field`, `field.gte`, `.gt`, `.lte` and `.lt`, order and
// sort, and the rest behind a `next_url` cursor (Polygon's v3 pagination).
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;
export type ReferenceKind = 'splits' | 'dividends';

const id = (text: string): string => `E${createHash('sha256').update(text).digest('hex')}`;

export const split = (ticker: string, execution_date: string, split_from: number, split_to: number): Json => ({
  execution_date, id: id(`split ${ticker} ${execution_date}`), split_from, split_to, ticker,
});

export const dividend = (ticker: string, ex_dividend_date: string, pay_date: string, cash_amount: number, fields: Json = {}): Json => ({
  cash_amount, currency: 'USD', declaration_date: ex_dividend_date, dividend_type: 'CD', ex_dividend_date, frequency: 4,
  id: id(`dividend ${ticker} ${ex_dividend_date}`), pay_date, record_date: ex_dividend_date, ticker, ...fields,
});

/** What the fake knows from the start: Apple's real splits and a few of its real dividends. */
export const BUILT_IN_REFERENCE: Record<ReferenceKind, Json[]> = {
  splits: [split('AAPL', '2005-02-28', 1, 2), split('AAPL', '2014-06-09', 1, 7), split('AAPL', '2020-08-31', 1, 4)],
  dividends: [
    dividend('AAPL', '2024-08-12', '2024-08-15', 0.25, { declaration_date: '2024-08-01', record_date: '2024-08-12' }),
    dividend('AAPL', '2024-11-08', '2024-11-14', 0.25, { declaration_date: '2024-10-31', record_date: '2024-11-11' }),
  ],
};

const DATE_FIELD: Record<ReferenceKind, string[]> = { splits: ['execution_date'], dividends: ['ex_dividend_date', 'pay_date', 'record_date', 'declaration_date'] };
const DEFAULT_SORT: Record<ReferenceKind, string> = { splits: 'execution_date', dividends: 'ex_dividend_date' };
const MAX_LIMIT = 1000;

/** One page of a reference list as Polygon answers it: [status, body]. */
export function referencePage(kind: ReferenceKind, all: readonly Json[], query: URLSearchParams, origin: string, requestId: string): [number, Json] {
  const cursor = query.get('cursor');
  // A next_url carries the whole query in its cursor.
  const q = cursor ? new URLSearchParams(Buffer.from(cursor, 'base64url').toString('utf8')) : query;
  const limit = Number(q.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return [400, { status: 'ERROR', request_id: requestId, error: `Limit '${q.get('limit')}' is not valid: it must be between 1 and ${MAX_LIMIT}.` }];
  }
  const ops: Record<string, (a: string, b: string) => boolean> = { '': (a, b) => a === b, gte: (a, b) => a >= b, gt: (a, b) => a > b, lte: (a, b) => a <= b, lt: (a, b) => a < b };
  let rows = all.filter((row) => q.get('ticker') === null || row['ticker'] === q.get('ticker'));
  for (const field of DATE_FIELD[kind]) {
    for (const [op, test] of Object.entries(ops)) {
      const value = q.get(op ? `${field}.${op}` : field);
      if (value !== null) rows = rows.filter((row) => typeof row[field] === 'string' && test(row[field] as string, value));
    }
  }
  const sort = q.get('sort') ?? DEFAULT_SORT[kind];
  const descending = (q.get('order') ?? 'desc') === 'desc';
  rows = [...rows].sort((a, b) => String(a[sort]).localeCompare(String(b[sort])) * (descending ? -1 : 1));
  const offset = Number(q.get('offset') ?? 0);
  const page = rows.slice(offset, offset + limit);
  const body: Json = { results: page, status: 'OK', request_id: requestId };
  if (offset + limit < rows.length) {
    const next = new URLSearchParams(q);
    next.set('offset', String(offset + limit));
    next.delete('cursor');
    body['next_url'] = `${origin}/v3/reference/${kind}?cursor=${Buffer.from(next.toString()).toString('base64url')}`;
  }
  return [200, body];
}
