import type { AlertFired } from './alerts/alert-book.ts';
import type { MarketDataTraffic, MarketStatus } from './market/types.ts';
import type { FillView, OrderView, QuoteView } from './snapshot.ts';

export interface EngineLogEntry {
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** What the engine publishes, after its own state is updated. */
export interface EngineEvents extends Record<string, unknown> {
  quote: QuoteView;
  order: OrderView;
  fill: FillView;
  error: EngineLogEntry;
  log: EngineLogEntry;
  status: MarketStatus;
  /** The provider's problems, requests and (for a debug log) details: what polygon-data.log records besides the state. */
  marketData: MarketDataTraffic | { readonly kind: 'notice'; readonly message: string };
  strategy: { name: string; params: Record<string, unknown> } | null;
  /** A price alert reached, or a fill alert's symbol filled. */
  alert: AlertFired;
}

export type EngineEventName = keyof EngineEvents;
