// The engine's snapshot views in the API's snake_case. Money stays the engine's exact decimal strings.
import { formatCents, formatPrice, formatQty, type ActionRecord, type EngineSnapshot, type FillView, type MarketStatus, type OrderView, type PositionView, type QuoteView, type RiskView, type PerformanceView, type TradeStatsView, type AlertView } from '../engine/index.ts';

/** Where an order's legs are found, so each is listed whole under its parent (Alpaca's `legs`). */
export interface OrderLookup {
  order(id: string): OrderView | undefined;
}

export const orderJson = (o: OrderView, orders: OrderLookup): Record<string, unknown> => ({
  id: o.id,
  client_order_id: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  order_type: o.type,
  time_in_force: o.timeInForce,
  qty: o.qty,
  filled_qty: o.filledQty,
  limit_price: o.limitPrice,
  stop_price: o.stopPrice,
  trail_price: o.trailPrice,
  trail_percent: o.trailPercent,
  hwm: o.hwm,
  avg_fill_price: o.avgFillPrice,
  order_class: o.orderClass,
  extended_hours: o.extendedHours,
  parent_id: o.parentId,
  legs: o.legIds.length === 0 ? null : o.legIds.flatMap((id) => {
    const leg = orders.order(id);
    return leg ? [orderJson(leg, orders)] : [];
  }),
  status: o.status,
  reason: o.reason,
  triggered: o.triggered,
  fees: o.fees,
  source: o.source,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
  expires_at: o.expiresAt,
});

export const tradeJson = (f: FillView) => ({
  id: f.id,
  order_id: f.orderId,
  symbol: f.symbol,
  side: f.side,
  qty: f.qty,
  price: f.price,
  notional: f.notional,
  fee: f.fee,
  realized_pnl: f.realizedPnl,
  time: f.time,
  source: f.source,
  taken_from: f.takenFrom,
  market_delay_ms: f.marketDelayMs,
});

export const quoteJson = (q: QuoteView) => ({
  symbol: q.symbol,
  bid: q.bid,
  ask: q.ask,
  bid_size: q.bidSize,
  ask_size: q.askSize,
  last: q.last,
  extended_last: q.extendedLast,
  mark: q.mark,
  open: q.open,
  previous_close: q.previousClose,
  volume: q.volume,
  time: q.time,
  delay_ms: q.delayMs,
});

const positionJson = (p: PositionView) => ({
  symbol: p.symbol,
  qty: p.qty,
  avg_cost: p.avgPrice,
  cost_basis: p.costBasis,
  last_price: p.lastPrice,
  market_value: p.marketValue,
  unrealized_pnl: p.unrealizedPnl,
  realized_pnl: p.realizedPnl,
  /** long, or short (a margin account's negative qty). */
  side: p.qty.startsWith('-') ? 'short' : 'long',
  /** Who holds the qty: "user" or "strategy:NAME", oldest lot first. */
  attribution: p.attribution,
});

export function portfolioJson(snapshot: EngineSnapshot) {
  const { portfolio: p, metrics: m } = snapshot;
  return {
    starting_cash: p.startingCash,
    cash: p.cash,
    equity: p.totalEquity,
    buying_power: p.buyingPower,
    market_value: p.marketValue,
    unrealized_pnl: p.unrealizedPnl,
    realized_pnl: p.realizedPnl,
    fees: p.fees,
    positions: p.positions.map(positionJson),
    account_kind: p.accountKind,
    margin: p.margin && {
      multiplier: p.margin.multiplier,
      long_market_value: p.margin.longMarketValue,
      short_market_value: p.margin.shortMarketValue,
      maintenance_margin: p.margin.maintenanceMargin,
      margin_call: p.margin.marginCall,
      daytrade_count: p.margin.dayTrades,
      pattern_day_trader: p.margin.patternDayTrader,
    },
    metrics: {
      total_trades: m.totalTrades,
      closed_trades: m.closedTrades,
      winning_trades: m.winningTrades,
      losing_trades: m.losingTrades,
      win_rate: m.winRate,
      total_fills: m.totalFills,
    },
  };
}

export const marketJson = (status: MarketStatus) => ({ source: status.source, state: status.state, message: status.message ?? null });

export function statusJson(snapshot: EngineSnapshot) {
  return {
    engine: snapshot.status,
    market: marketJson(snapshot.market),
    strategy: strategyJson(snapshot.strategy),
    symbols: snapshot.symbols,
    time: snapshot.time,
    time_iso: new Date(snapshot.time).toISOString(),
    risk: riskJson(snapshot.risk),
  };
}

/** Params in the API's snake_case (the engine accepts both spellings back). */
export function strategyJson(strategy: EngineSnapshot['strategy']) {
  if (!strategy) return null;
  const params = Object.fromEntries(Object.entries(strategy.params).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
  return { name: strategy.name, params };
}

export const riskJson = (r: RiskView) => ({
  max_position_value: r.limits.maxPositionValue,
  max_order_notional: r.limits.maxOrderNotional,
  max_open_orders: r.limits.maxOpenOrders,
  daily_loss_limit: r.limits.dailyLossLimit,
  kill_switch: r.killSwitch,
  halted: r.halted,
  day_pnl: r.dayPnl,
  pattern_day_trader: r.patternDayTrader,
  borrow_rate: r.borrowRate,
});

/** A split or dividend the account met, as Alpaca's account activities name them (SPLIT, DIV). */
export function actionJson(a: ActionRecord) {
  const common = { id: a.id, symbol: a.symbol, time: a.time };
  switch (a.kind) {
    case 'split':
      return { ...common, activity_type: 'SPLIT', date: a.date, split_from: a.from.toString(), split_to: a.to.toString(), qty_before: formatQty(a.qtyBefore), qty_after: formatQty(a.qtyAfter) };
    case 'dividend':
      return { ...common, activity_type: 'DIV_OWED', ex_date: a.exDate, pay_date: a.payDate, per_share: formatPrice(a.perShare), qty: formatQty(a.qty), amount: formatCents(a.amount) };
    case 'payment':
      return { ...common, activity_type: 'DIV', owed_id: a.source, amount: formatCents(a.amount) };
    case 'borrow_fee':
      return { ...common, activity_type: 'FEE', fee_type: 'borrow', date: a.date, days: a.days, qty: formatQty(a.qty), price: formatPrice(a.price), rate: a.rate, amount: formatCents(a.amount) };
  }
}

const tradeStatsJson = (t: TradeStatsView) => ({
  trades: t.trades,
  closed_trades: t.closedTrades,
  winning_trades: t.winningTrades,
  losing_trades: t.losingTrades,
  win_rate: t.winRate,
  gross_profit: t.grossProfit,
  gross_loss: t.grossLoss,
  profit_factor: t.profitFactor,
  expectancy: t.expectancy,
  average_win: t.averageWin,
  average_loss: t.averageLoss,
  fees: t.fees,
  traded_value: t.tradedValue,
  turnover: t.turnover,
});

/** GET /metrics: the engine's PerformanceView in the API's snake_case. */
export function performanceJson(p: PerformanceView) {
  const e = p.equity;
  const d = e?.maxDrawdown;
  return {
    basis: { returns: p.basis.returns, trading_days_a_year: p.basis.tradingDaysAYear, risk_free_rate: p.basis.riskFreeRate, since: p.basis.since },
    equity: e && {
      start: e.start,
      end: e.end,
      total_return: e.totalReturn,
      days: e.days,
      sharpe: e.sharpe,
      sortino: e.sortino,
      cagr: e.cagr,
      max_drawdown: d ? { amount: d.amount, percent: d.percent, duration_ms: d.durationMs, peak_time: d.peakTime, trough_time: d.troughTime, recovered: d.recovered } : null,
      exposure: e.exposure,
      time_in_market: e.timeInMarket,
      average_equity: e.averageEquity,
    },
    trades: tradeStatsJson(p.trades),
    by_symbol: p.bySymbol.map((s) => ({ symbol: s.symbol, ...tradeStatsJson(s) })),
    by_owner: p.byOwner.map((o) => ({ owner: o.owner, ...tradeStatsJson(o) })),
  };
}

/** An alert waiting: above/below a price (once), or each fill of the symbol. */
export const alertJson = (alert: AlertView) => ({ id: alert.id, symbol: alert.symbol, kind: alert.kind, price: alert.price, created_at: alert.createdAt });
