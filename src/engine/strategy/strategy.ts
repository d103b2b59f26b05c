import type { z } from 'zod';
import type { Cents, Price, Qty } from '../money.ts';
import type { Bar, Quote, Trade } from '../market/types.ts';
import type { OrderChanges, OrderRequest } from '../orders/order.ts';
import type { FillView, OrderView } from '../snapshot.ts';

/** What a running strategy may see and do. Orders it places are tagged with its name. */
export interface StrategyContext {
  readonly strategyName: string;
  readonly symbols: readonly string[];
  now(): number;
  quote(symbol: string): Quote | undefined;
  /** The latest mark (quote mid, trade or bar close), exact. */
  price(symbol: string): Price | undefined;
  /** What this strategy holds of the symbol: its own lot, never the trader's or another strategy's. */
  position(symbol: string): Qty;
  cash(): Cents;
  buyingPower(): Cents;
  equity(): Cents;
  /** The largest tradable qty (a decimal string, lot-rounded) that `cents` buys at `price`. */
  qtyForCash(symbol: string, cents: Cents, price: Price): string;
  placeOrder(request: OrderRequest): OrderView;
  /** Cancels one of this strategy's working orders; false if it is not one, or no longer working. */
  cancelOrder(id: string): boolean;
  /**
   * Replaces one of this strategy's working orders in place (qty: the new whole qty, limit, stop
   * or trail; see Engine.replaceOrder); a refusal says why and leaves the order as it was.
   */
  replaceOrder(id: string, changes: OrderChanges): { ok: true; order: OrderView } | { ok: false; error: string };
  openOrders(symbol?: string): OrderView[];
  log(message: string): void;
}

/**
 * A strategy: lifecycle and handlers, all optional. Handlers run one at a time; orders placed
 * inside a handler are accepted (or rejected) at once, and their fills arrive in onFill after
 * the handler returns.
 */
export interface Strategy {
  onStart?(ctx: StrategyContext): void;
  onQuote?(quote: Quote, ctx: StrategyContext): void;
  onTrade?(trade: Trade, ctx: StrategyContext): void;
  onBar?(bar: Bar, ctx: StrategyContext): void;
  onFill?(fill: FillView, ctx: StrategyContext): void;
  onOrder?(order: OrderView, ctx: StrategyContext): void;
  onStop?(ctx: StrategyContext): void;
  /**
   * History before live data: the last minute bars of every symbol, oldest first, for indicators
   * to start full. Runs once, before any live event reaches the strategy; it may not trade.
   */
  warmUp?(bars: readonly Bar[], ctx: StrategyContext): void;
  /** JSON-safe state to restore after a restart. */
  save?(): unknown;
  load?(state: unknown): void;
}

export interface StrategyDefinition<Params = Record<string, unknown>> {
  readonly name: string;
  /** Older names that still select it (e.g. the seed's simple_paper_strategy). */
  readonly aliases?: readonly string[];
  readonly description: string;
  /** A zod object schema with defaults; snake_case keys are accepted as camelCase. */
  readonly params: z.ZodType<Params>;
  /** How many minute bars per symbol warmUp wants (e.g. the longest indicator window). */
  warmupBars?(params: Params): number;
  create(params: Params): Strategy;
}

/** Type helper for strategy files: `export default defineStrategy({...})`. */
export const defineStrategy = <Params>(definition: StrategyDefinition<Params>): StrategyDefinition<Params> => definition;
