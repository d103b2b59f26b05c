// One page of an account's history (orders or fills), found by binary search and read no further
// than the page: an account with 100,000 orders answers as fast as a new one, and no request
// holds the event loop for longer than its page takes to build.

/** Where a page starts or stops: an order or fill id (exact), or a time (Unix ms). Both exclusive. */
export type HistoryCursor = { id: string } | { time: number };

export interface HistoryQuery {
  /** Items in the page (default 500, at most 10,000). */
  limit?: number;
  /** Only items after this one (or this time). */
  after?: HistoryCursor;
  /** Only items before this one (or this time). */
  until?: HistoryCursor;
  /**
   * asc: oldest first, from `after` on; desc: newest first, back from `until`. Left out, the page
   * is the newest `limit` items (before `until`), listed oldest first.
   */
  direction?: 'asc' | 'desc';
}

export interface HistoryPage<T> {
  items: T[];
  /** Whether more items lie beyond the page, in the direction it was read. */
  more: boolean;
}

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 10_000;

interface Keyed {
  id: string;
}

/** A history read by position: in memory (an array) or from the account's store. */
export interface HistoryItems<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/**
 * A page of `items` (ordered by id number, their times not decreasing), keeping only those `keep`
 * accepts. `timeOf` gives an item's time for time cursors.
 */
export function historyPage<T extends Keyed>(items: HistoryItems<T>, query: HistoryQuery, timeOf: (item: T) => number, keep: (item: T) => boolean = () => true): HistoryPage<T> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_PAGE), MAX_PAGE);
  const position = (cursor: HistoryCursor, after: boolean): number =>
    'id' in cursor ? firstIndex(items, (item) => (after ? seqOf(item.id) > seqOf(cursor.id) : seqOf(item.id) >= seqOf(cursor.id)))
    : firstIndex(items, (item) => (after ? timeOf(item) > cursor.time : timeOf(item) >= cursor.time));
  const from = query.after ? position(query.after, true) : 0;
  const to = query.until ? position(query.until, false) : items.length;
  const page: T[] = [];
  const forward = query.direction === 'asc';
  for (let i = forward ? from : to - 1; forward ? i < to : i >= from; i += forward ? 1 : -1) {
    const item = items.at(i);
    if (item === undefined || !keep(item)) continue;
    if (page.length === limit) return { items: ordered(page, query), more: true };
    page.push(item);
  }
  return { items: ordered(page, query), more: false };
}

/** Read newest first unless asc; listed newest first only when desc was asked for. */
const ordered = <T>(page: T[], query: HistoryQuery): T[] => (query.direction === undefined ? page.reverse() : page);

/** o-12 → 12, f-7 → 7: an order's or a fill's place in the account's history. */
export const seqOf = (id: string): number => Number(id.slice(id.indexOf('-') + 1));

/** The first index whose item passes `test` (false then true along the array), or the length. */
function firstIndex<T>(items: HistoryItems<T>, test: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = items.at(middle);
    if (item === undefined || test(item)) high = middle;
    else low = middle + 1;
  }
  return low;
}
