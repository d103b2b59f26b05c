// What each Polygon (Massive) plan lets a key do, as the fake enforces it. Every rule is from
// docs/polygon-plans.md, which gives the sources: Massive's docs "Plan Access" tables, its API spec's
// entitlement fields, its own plugin's plan notes, and the issue threads quoting the live messages.

/** Stocks plans are tiers; 'currencies' is the separate crypto + forex product (real-time only). */
export type StocksPlan = 'free' | 'starter' | 'developer' | 'advanced';
export type Plan = StocksPlan | 'currencies';
export type Cluster = 'stocks' | 'crypto' | 'forex';

/** What one key holds: at most one stocks tier, and the currencies product or not. */
export interface Entitlements {
  readonly stocks: StocksPlan | undefined;
  readonly currencies: boolean;
}

export const entitlementsOf = (plans: Plan | readonly Plan[]): Entitlements => {
  const list: readonly Plan[] = typeof plans === 'string' ? [plans] : plans;
  return { stocks: list.find((plan): plan is StocksPlan => plan !== 'currencies'), currencies: list.includes('currencies') };
};

/** docs/polygon-plans.md §3: the free plan, and a cluster the account has no plan for (QuantConnect/Lean#6485, Lean.DataSource.Polygon#21). */
export const NO_WEBSOCKET_MESSAGE = "Your plan doesn't include websocket access. Visit https://polygon.io/pricing to upgrade.";
/** A wrong key, a delayed-only key on the real-time host (polygon-io/client-php#17), a stocks key on crypto (massive-com/client-jvm#11). */
export const AUTH_FAILED_MESSAGE = 'authentication failed';

/** Stock channels by plan (§1.1): none on Basic; aggregates delayed on Starter; trades too on Developer; all real time on Advanced. */
const STOCK_STREAM: Record<StocksPlan, { realtime: boolean; channels: readonly string[] }> = {
  free: { realtime: false, channels: [] },
  starter: { realtime: false, channels: ['A', 'AM'] },
  developer: { realtime: false, channels: ['T', 'A', 'AM'] },
  advanced: { realtime: true, channels: ['T', 'Q', 'A', 'AM'] },
};
const CURRENCY_CHANNELS: Record<'crypto' | 'forex', readonly string[]> = { crypto: ['XT', 'XQ', 'XA'], forex: ['C', 'CA'] };

/** The `auth` reply on a cluster and host: the channels the key may subscribe, or the auth_failed message. */
export function streamAccess(e: Entitlements, cluster: Cluster, delayedHost: boolean): { channels: readonly string[] } | { refused: string } {
  const noStream = (e.stocks === undefined || e.stocks === 'free') && !e.currencies;
  if (noStream) return { refused: NO_WEBSOCKET_MESSAGE };
  if (cluster === 'stocks') {
    if (e.stocks === undefined || e.stocks === 'free') return { refused: NO_WEBSOCKET_MESSAGE };
    const stream = STOCK_STREAM[e.stocks];
    // A delayed plan on the real-time host is told nothing more than a wrong key is.
    if (!delayedHost && !stream.realtime) return { refused: AUTH_FAILED_MESSAGE };
    return { channels: stream.channels };
  }
  if (!e.currencies) return { refused: AUTH_FAILED_MESSAGE };
  return { channels: CURRENCY_CHANNELS[cluster] };
}

/** §1: how many years back each stocks plan's history goes (Basic 2, Starter 5, Developer 10; Advanced "20+": all of it, back to 2003). */
const HISTORY_YEARS: Record<StocksPlan, number> = { free: 2, starter: 5, developer: 10, advanced: Number.POSITIVE_INFINITY };

/** §4: what a REST path needs beyond a valid key, or undefined when every plan may call it. `from`/`to`: an aggregates request's range (`from`: a trades or quotes query's too). */
export function restRefusal(e: Entitlements, path: string, todayStartMs: number, to: number | undefined, from?: number): 'plan' | 'timeframe' | undefined {
  const currency = /\/(X|C):|\/markets\/(crypto|forex)\/|^\/v1\/(last|last_quote|conversion)\//.test(decodeURIComponent(path));
  if (path.startsWith('/v1/marketstatus/') || path.startsWith('/v3/reference/')) return undefined;
  if (currency) return e.currencies ? undefined : 'plan';
  const tier = e.stocks;
  if (tier === undefined) return 'plan';
  if (path.startsWith('/v2/snapshot/')) return tier === 'free' ? 'plan' : undefined;
  if (path.startsWith('/v2/last/trade/')) return tier === 'free' || tier === 'starter' ? 'plan' : undefined;
  if (path.startsWith('/v2/last/nbbo/')) return tier === 'advanced' ? undefined : 'plan';
  // §1.2: trades from Developer up, quotes on Advanced only (massive.com/knowledge-base/article/how-do-i-page-through-all-the-trades-or-quotes-for-a-day).
  if (path.startsWith('/v3/trades/') && (tier === 'free' || tier === 'starter')) return 'plan';
  if (path.startsWith('/v3/quotes/') && tier !== 'advanced') return 'plan';
  // Basic is end-of-day: today's bars are refused with the timeframe message.
  if (path.startsWith('/v2/aggs/') && tier === 'free' && !path.endsWith('/prev') && to !== undefined && to >= todayStartMs) return 'timeframe';
  // Older than the plan's history (§1's depth): the same timeframe message (§5's 403 table; OpenBB-finance/OpenBB#4747).
  if (/^\/v2\/aggs\/|^\/v3\/(trades|quotes)\//.test(path) && from !== undefined && from < todayStartMs - HISTORY_YEARS[tier] * 365.25 * 86_400_000) return 'timeframe';
  return undefined;
}

/** §1.2: stock snapshots show a last trade from Developer up and a last quote on Advanced only. */
export function snapshotFields(e: Entitlements): { lastTrade: boolean; lastQuote: boolean } {
  return { lastTrade: e.stocks === 'developer' || e.stocks === 'advanced', lastQuote: e.stocks === 'advanced' };
}

/** Basic's 5 requests a minute (rolling, per key); every paid plan is unlimited. */
export const rateLimited = (e: Entitlements): boolean => (e.stocks === undefined || e.stocks === 'free') && !e.currencies;

/** Delayed plans stream stocks 15 minutes late, with the events' real times (§1.3). */
export const isDelayedStocks = (e: Entitlements): boolean => e.stocks === 'starter' || e.stocks === 'developer';
