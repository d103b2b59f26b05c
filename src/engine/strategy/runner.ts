import type { Bar, MarketEvent } from '../market/types.ts';
import type { FillView, OrderView } from '../snapshot.ts';
import type { ResolvedStrategy } from './registry.ts';
import type { Strategy, StrategyContext } from './strategy.ts';
import { messageOf } from '../errors.ts';
import { strategySource } from '../portfolio/attribution.ts';

interface Active {
  resolved: ResolvedStrategy;
  strategy: Strategy;
  context: StrategyContext;
  /** Live events held while the strategy waits for its warm-up history. */
  held?: MarketEvent[];
}

/** Held events beyond this drop the oldest half: a warm-up that slow has failed anyway. */
const MAX_HELD_EVENTS = 100_000;

export interface RunnerHost {
  /** Builds the context a strategy of this name trades through. */
  contextFor(name: string): StrategyContext;
  /** Cancels the working orders a strategy placed (used when it stops). */
  cancelOrdersOf(source: string): void;
  report(level: 'info' | 'error', message: string): void;
  announce(active: { name: string; params: Record<string, unknown> } | null): void;
}

/**
 * Runs one strategy at a time and switches it live. When a strategy stops (switched, cleared,
 * or after it throws) its working orders are canceled: orders nobody manages any more would
 * surprise the trader. Its positions stay.
 */
export class StrategyRunner {
  #active: Active | undefined;
  #halted = false;
  #inWarmUp = false;
  readonly #host: RunnerHost;

  constructor(host: RunnerHost) {
    this.#host = host;
  }

  /** Whether a strategy runs (cheaper than active, which makes an object: asked on every event). */
  get running(): boolean {
    return this.#active !== undefined;
  }

  /** The running strategy's name. */
  get runningName(): string | undefined {
    return this.#active?.resolved.definition.name;
  }

  get active(): { name: string; params: Record<string, unknown> } | null {
    return this.#active ? { name: this.#active.resolved.definition.name, params: this.#active.resolved.params } : null;
  }

  /** Starts a strategy; `saved` is what its save() returned in an earlier run, handed to load(). */
  start(resolved: ResolvedStrategy, saved?: unknown): void {
    this.stop('switched');
    this.#halted = false;
    const name = resolved.definition.name;
    const context = this.#host.contextFor(name);
    let strategy: Strategy;
    try {
      strategy = resolved.definition.create(resolved.params);
      if (saved !== undefined) strategy.load?.(saved);
    } catch (error) {
      this.#host.report('error', `strategy ${name} could not start: ${messageOf(error)}`);
      this.#host.announce(null);
      return;
    }
    this.#active = { resolved, strategy, context };
    this.#host.announce(this.active);
    this.#host.report('info', `strategy ${name} started ${JSON.stringify(resolved.params)}`);
    this.#call('onStart', (s, ctx) => s.onStart?.(ctx));
  }

  /**
   * New code for the running strategy (its file was edited): create(params) and load(the old one's
   * save()) only, no onStop or onStart, so its positions and working orders stay its own and a
   * strategy that flattens in onStop does not. Throws what create or load threw: the old code runs on.
   */
  reload(resolved: ResolvedStrategy): void {
    const active = this.#active;
    if (!active) return;
    const state = active.strategy.save?.();
    const strategy = resolved.definition.create(resolved.params);
    if (state !== undefined) strategy.load?.(state);
    this.#active = { ...active, resolved, strategy };
    this.#host.announce(this.active);
  }

  /** Ends the strategy (switched or cleared): onStop runs and its working orders are canceled. */
  stop(why: 'switched' | 'cleared'): void {
    const active = this.#active;
    if (!active) return;
    // A halted strategy already ran onStop when the engine stopped.
    if (!this.#halted) this.#call('onStop', (s, ctx) => s.onStop?.(ctx));
    this.#active = undefined;
    const name = active.resolved.definition.name;
    this.#host.cancelOrdersOf(strategySource(name));
    if (why === 'cleared') this.#host.announce(null);
    this.#host.report('info', `strategy ${name} stopped`);
  }

  /** The engine is stopping: onStop runs, but the strategy stays selected and its orders stay working. */
  halt(): void {
    if (this.#halted) return;
    this.#call('onStop', (s, ctx) => s.onStop?.(ctx));
    this.#halted = true;
  }

  /** The engine started again: the selected strategy starts again too. */
  resume(): void {
    if (!this.#halted) return;
    this.#halted = false;
    this.#call('onStart', (s, ctx) => s.onStart?.(ctx));
  }

  /** True while the strategy's warmUp runs: it may not trade then. */
  get warmingUp(): boolean {
    return this.#inWarmUp;
  }

  /**
   * Holds live events from the running strategy until warmUp delivers its history; returns a
   * token for warmUp, or undefined when no strategy runs or it has no warmUp handler.
   */
  holdForWarmUp(): object | undefined {
    const active = this.#active;
    if (!active?.strategy.warmUp) return undefined;
    active.held = [];
    return active;
  }

  /** Gives the strategy its history, then the live events held meanwhile, in order; false if it no longer runs. */
  warmUp(token: object, bars: readonly Bar[]): boolean {
    const active = this.#active;
    if (active !== token || !active.held) return false;
    const held = active.held;
    delete active.held;
    this.#inWarmUp = true;
    try {
      this.#call('warmUp', (s, ctx) => s.warmUp?.(bars, ctx));
    } finally {
      this.#inWarmUp = false;
    }
    // A bar that closed while the history was fetched can be in both: the strategy gets it once.
    const lastStart = new Map<string, number>();
    for (const bar of bars) lastStart.set(bar.symbol, Math.max(bar.start, lastStart.get(bar.symbol) ?? -Infinity));
    for (const event of held) {
      if (event.kind === 'bar' && event.start <= (lastStart.get(event.symbol) ?? -Infinity)) continue;
      this.onMarketEvent(event);
    }
    return true;
  }

  onMarketEvent(event: MarketEvent): void {
    const active = this.#active;
    if (active?.held) {
      if (active.held.length >= MAX_HELD_EVENTS) active.held.splice(0, MAX_HELD_EVENTS / 2);
      active.held.push(event);
      return;
    }
    if (!active || this.#halted) return;
    const { strategy, context } = active;
    // Called directly, not through #call: a closure an event is measurable in a backtest of millions.
    const handler = event.kind === 'quote' ? 'onQuote' : event.kind === 'trade' ? 'onTrade' : 'onBar';
    if (strategy[handler] === undefined) return;
    try {
      if (event.kind === 'quote') strategy.onQuote!(event, context);
      else if (event.kind === 'trade') strategy.onTrade!(event, context);
      else strategy.onBar!(event, context);
    } catch (error) {
      this.#failed(active, handler, error);
    }
  }

  /** Whether the running strategy has this handler: the engine builds what it would be handed only then. */
  handles(handler: 'onOrder' | 'onFill'): boolean {
    return this.#active?.strategy[handler] !== undefined && !this.#halted;
  }

  /** Tells the strategy about its own orders' fills and changes. */
  onFill(fill: FillView): void {
    if (this.#owns(fill.source)) this.#call('onFill', (s, ctx) => s.onFill?.(fill, ctx));
  }

  onOrder(order: OrderView): void {
    if (this.#owns(order.source)) this.#call('onOrder', (s, ctx) => s.onOrder?.(order, ctx));
  }

  save(): unknown {
    return this.#active?.strategy.save?.();
  }

  #owns(source: string): boolean {
    return this.#active !== undefined && source === strategySource(this.#active.resolved.definition.name);
  }

  // A strategy that throws is stopped rather than left trading on a broken state.
  #call(handler: string, fn: (strategy: Strategy, ctx: StrategyContext) => void): void {
    const active = this.#active;
    if (!active || (this.#halted && handler !== 'onStop')) return;
    try {
      fn(active.strategy, active.context);
    } catch (error) {
      this.#failed(active, handler, error);
    }
  }

  #failed(active: Active, handler: string, error: unknown): void {
    const name = active.resolved.definition.name;
    this.#host.report('error', `strategy ${name} failed in ${handler} and was stopped: ${messageOf(error)}`);
    if (handler !== 'onStop' && this.#active === active) this.stop('cleared');
    else this.#active = undefined;
  }
}

