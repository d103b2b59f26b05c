// A UiState built by hand, for rendering panes without an engine. Defaults are a small, consistent
// session (two positions, one working and one filled order); override any part of it.
import type { EngineSnapshot, FillView, OrderView, PortfolioView, PositionView, QuoteView } from '../../src/engine/index.ts';
import type { LogLine, UiState } from '../../src/ui/store.ts';

/** Tuesday 3 November 2026, 10:30 in New York (same day as the engine rig's T0). */
export const UI_T0 = Date.parse('2026-11-03T15:30:00Z');

// Exact decimal arithmetic for fixtures, so derived amounts match what the engine would show.
const SCALE = 10n ** 8n;
function dec(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(8, '0').slice(0, 8));
  return negative ? -value : value;
}
/** Rounds half away from zero to `decimals`, trims zeros beyond `minDecimals`. */
function show(value: bigint, decimals: number, minDecimals = decimals): string {
  const step = 10n ** BigInt(8 - decimals);
  const abs = value < 0n ? -value : value;
  const rounded = (abs + step / 2n) / step;
  const digits = rounded.toString().padStart(decimals + 1, '0');
  let fraction = digits.slice(digits.length - decimals);
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const sign = value < 0n && rounded !== 0n ? '-' : '';
  return sign + digits.slice(0, digits.length - decimals) + (fraction ? `.${fraction}` : '');
}
const mul = (a: string, b: string): bigint => (dec(a) * dec(b)) / SCALE;
const cents = (value: bigint): string => show(value, 2);
const sum = (amounts: readonly string[]): bigint => amounts.reduce((total, amount) => total + dec(amount), 0n);

/** A quote; mark defaults to the mid of bid and ask, last to the mark. */
export function makeQuote(symbol: string, fields: Partial<Omit<QuoteView, 'symbol'>> = {}): QuoteView {
  const bid = fields.bid ?? null;
  const ask = fields.ask ?? null;
  const mid = bid !== null && ask !== null ? show((dec(bid) + dec(ask)) / 2n, 6, 2) : null;
  const mark = fields.mark !== undefined ? fields.mark : mid;
  return {
    symbol,
    bid,
    ask,
    bidSize: bid === null ? null : '500',
    askSize: ask === null ? null : '500',
    crossed: bid !== null && ask !== null && dec(bid) > dec(ask),
    last: mark,
    extendedLast: null,
    delayMs: null,
    previousClose: null,
    mark,
    open: mark,
    volume: '0',
    time: UI_T0,
    ...fields,
  };
}

/** A long position; cost basis, market value and unrealized PnL follow from qty, avg and last. */
export function makePosition(symbol: string, qty: string, avgPrice: string, lastPrice: string | null): PositionView {
  const costBasis = cents(mul(qty, avgPrice));
  const marketValue = lastPrice === null ? costBasis : cents(mul(qty, lastPrice));
  return {
    symbol, qty, avgPrice, costBasis, lastPrice, marketValue, unrealizedPnl: cents(dec(marketValue) - dec(costBasis)), realizedPnl: '0.00',
    attribution: [{ owner: 'user', qty }],
  };
}

let orderSeq = 0;
export function makeOrder(fields: Partial<OrderView> & Pick<OrderView, 'symbol'>): OrderView {
  const id = fields.id ?? `o-${++orderSeq}`;
  return {
    id,
    clientOrderId: null,
    side: 'buy',
    type: 'market',
    timeInForce: 'day',
    qty: '100',
    filledQty: '0',
    limitPrice: null,
    stopPrice: null,
    trailPrice: null,
    trailPercent: null,
    hwm: null,
    avgFillPrice: null,
    orderClass: 'simple',
    parentId: null,
    legIds: [],
    extendedHours: false,
    status: 'accepted',
    reason: null,
    triggered: false,
    fees: '0.00',
    source: 'manual',
    createdAt: UI_T0,
    updatedAt: UI_T0,
    expiresAt: null,
    ...fields,
  };
}

export function makeFill(fields: Partial<FillView> & Pick<FillView, 'orderId' | 'symbol' | 'qty' | 'price'>): FillView {
  return {
    id: `f-${fields.orderId}`,
    side: 'buy',
    notional: cents(mul(fields.qty, fields.price)),
    fee: '0.00',
    realizedPnl: '0.00',
    time: UI_T0,
    source: 'manual',
    takenFrom: [],
    marketDelayMs: null,
    orderFilledQty: fields.qty,
    ...fields,
  };
}

export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'X:BTCUSD'] as const;

export const defaultQuotes = (): QuoteView[] => [
  makeQuote('AAPL', { bid: '229.99', ask: '230.01', last: '230.02', open: '227.16', volume: '1234567' }),
  makeQuote('MSFT', { bid: '411.50', ask: '411.60', last: '411.55', open: '415.80', volume: '56789' }),
  makeQuote('TSLA', { bid: '239.98', ask: '240.02', last: '240.00', open: '240.00', volume: '987654321' }),
  makeQuote('X:BTCUSD', { bid: '97120.50', ask: '97125.50', last: '97123.00', open: '95000.00', volume: '12.3456' }),
];

export const defaultPositions = (): PositionView[] => [
  makePosition('AAPL', '100', '200.00', '230.00'),
  makePosition('TSLA', '10', '250.00', '240.00'),
];

export type SnapshotOverrides = Partial<Omit<EngineSnapshot, 'portfolio'>> & { portfolio?: Partial<PortfolioView> };

export interface UiStateOverrides {
  snapshot?: SnapshotOverrides;
  /** Sparkline points per symbol (a Map or a plain object). */
  sparklines?: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>;
  log?: readonly LogLine[];
  alert?: LogLine;
  version?: number;
}

/**
 * A full, valid UiState. Portfolio totals (market value, unrealized PnL, equity) are derived from
 * the positions in use unless overridden, so overriding positions alone stays consistent.
 */
export function uiState(overrides: UiStateOverrides = {}): UiState {
  const snap = overrides.snapshot ?? {};
  const positions = snap.portfolio?.positions ?? defaultPositions();
  const startingCash = snap.portfolio?.startingCash ?? '100000.00';
  const realizedPnl = snap.portfolio?.realizedPnl ?? '125.50';
  const fees = snap.portfolio?.fees ?? '0.00';
  const costBasis = sum(positions.map((p) => p.costBasis));
  const marketValue = sum(positions.map((p) => p.marketValue));
  const unrealizedPnl = sum(positions.map((p) => p.unrealizedPnl));
  const cash = snap.portfolio?.cash ?? cents(dec(startingCash) - costBasis + dec(realizedPnl) - dec(fees));
  const portfolio: PortfolioView = {
    startingCash,
    cash,
    buyingPower: cash,
    marketValue: cents(marketValue),
    totalEquity: cents(dec(cash) + marketValue),
    unrealizedPnl: cents(unrealizedPnl),
    realizedPnl,
    fees,
    accountKind: 'cash',
    margin: null,
    previousCloseEquity: null,
    ...snap.portfolio,
    positions,
  } as PortfolioView;
  const filled = makeOrder({
    id: 'o-1', symbol: 'AAPL', qty: '100', filledQty: '100', avgFillPrice: '200.00', status: 'filled', updatedAt: UI_T0 - 60_000, createdAt: UI_T0 - 60_000,
  });
  const working = makeOrder({ id: 'o-2', symbol: 'MSFT', type: 'limit', timeInForce: 'gtc', qty: '5', limitPrice: '400.00' });
  const { portfolio: _ignored, ...rest } = snap;
  const snapshot: EngineSnapshot = {
    status: 'running',
    time: UI_T0,
    market: { source: 'replay', state: 'live' },
    strategy: { name: 'sma-crossover', params: { fast: 5, slow: 20 } },
    symbols: [...DEFAULT_SYMBOLS],
    orders: [filled, working],
    fills: [makeFill({ orderId: 'o-1', symbol: 'AAPL', qty: '100', price: '200.00', time: UI_T0 - 60_000 })],
    quotes: defaultQuotes(),
    metrics: { totalTrades: 1, closedTrades: 0, winningTrades: 0, losingTrades: 0, winRate: 0, totalFills: 1 },
    risk: { limits: { maxPositionValue: null, maxOrderNotional: null, maxOpenOrders: null, dailyLossLimit: null }, killSwitch: false, halted: null, dayPnl: null, patternDayTrader: true, borrowRate: null },
    equity: [
      { time: UI_T0 - 120_000, equity: startingCash },
      { time: UI_T0 - 60_000, equity: cents(dec(startingCash) + unrealizedPnl / 2n) },
      { time: UI_T0, equity: portfolio.totalEquity },
    ],
    ...rest,
    alerts: rest.alerts ?? [],
    portfolio,
  };
  const sparklines = overrides.sparklines instanceof Map
    ? new Map(overrides.sparklines)
    : new Map(Object.entries(overrides.sparklines ?? {
      AAPL: [227.16, 228, 227.5, 229, 230, 229.5, 230],
      TSLA: [240, 240, 240, 240],
    }));
  return {
    snapshot,
    sparklines,
    log: overrides.log ?? [{ time: UI_T0, level: 'info', text: 'replay started' }],
    alert: overrides.alert,
    version: overrides.version ?? 1,
  };
}
