// What a run writes to its log files: start, the engine's log, orders, fills, errors, the
// Polygon connection, stop. The key is never passed in; log-files.ts scrubs it from every string.
import type { Engine } from '../engine/index.ts';
import type { EngineLogEntry } from '../engine/events.ts';
import type { LogFiles } from './log-files.ts';

export interface RunInfo {
  version: string;
  market: string;
  symbols: readonly string[];
  strategy: string | null;
}

const engineTime = (time: number): string => new Date(time).toISOString();

/** Writes the start line and follows the engine; returns what writes the stop line. */
export function logRun(engine: Engine, logs: LogFiles, info: RunInfo): { stopped: () => void } {
  const { app, polygon } = logs;
  app?.info({ event: 'start', ...info }, 'paper-trader started');
  if (app) {
    const entry = (event: 'log' | 'error') => (log: EngineLogEntry) => app[log.level]({ event, engineTime: engineTime(log.time) }, log.message);
    engine.on('log', entry('log'));
    engine.on('error', entry('error'));
    engine.on('fill', (fill) => app.info({ event: 'fill', engineTime: engineTime(fill.time), fill }, `${fill.side} ${fill.qty} ${fill.symbol} @ ${fill.price}`));
    engine.on('order', (order) =>
      app.info(
        { event: 'order', engineTime: engineTime(order.updatedAt), order: { id: order.id, symbol: order.symbol, side: order.side, type: order.type, qty: order.qty, filledQty: order.filledQty, status: order.status, reason: order.reason, source: order.source } },
        `order ${order.id} ${order.status}`,
      ),
    );
    engine.on('strategy', (active) => app.info({ event: 'strategy', strategy: active }, active ? `strategy ${active.name}` : 'no strategy'));
  }
  if (polygon) {
    engine.on('status', (status) => {
      if (status.source !== 'polygon') return;
      const level = status.state === 'failed' ? 'error' : 'info';
      polygon[level]({ event: 'status', state: status.state }, status.message ?? status.state);
    });
    engine.on('marketData', (entry) => {
      if (entry.kind === 'notice') polygon.warn({ event: 'problem' }, entry.message);
      else if (entry.kind === 'request') polygon.info({ event: 'request', path: entry.path, status: entry.status, ms: entry.ms }, `GET ${entry.path} ${entry.status || 'no answer'} ${entry.ms} ms`);
      else polygon.debug({ event: 'debug' }, entry.message);
    });
  }
  let done = false;
  return {
    stopped: () => {
      if (done || !app) return;
      done = true;
      const { portfolio, metrics } = engine.snapshot({ recent: 0, equityPoints: 1 });
      app.info({ event: 'stop', equity: portfolio.totalEquity, cash: portfolio.cash, realizedPnl: portfolio.realizedPnl, fills: metrics.totalFills, trades: metrics.totalTrades }, 'paper-trader stopped');
    },
  };
}
