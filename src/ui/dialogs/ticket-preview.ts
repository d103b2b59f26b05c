// What the engine will check of a ticket, said before Enter: what a buy costs beside the buying
// power, what a sell may take beside what is held. Exact: money in bigint minor units, as the engine.
import type { EngineSnapshot } from '../../engine/index.ts';
import { CENT_DECIMALS, formatQty, formatUsd, notional, parseDecimal, PRICE_DECIMALS, QTY_DECIMALS } from '../../engine/money.ts';
import { draftRequest, type TicketState } from './order-ticket-state.ts';

export interface TicketPreview {
  readonly text: string;
  /** The engine would refuse it as it stands (more than the buying power, more than held). */
  readonly warning: boolean;
}

const exact = (text: string | number | null | undefined, decimals: number): bigint | undefined => {
  if (text === null || text === undefined) return undefined;
  const parsed = parseDecimal(text, decimals);
  return parsed.ok ? parsed.value : undefined;
};

/**
 * The line, or undefined while the qty (or the price a buy is valued at) is not known yet.
 * `sellable`: what the trader may still sell of the symbol (Engine.sellableQty, the pre-trade check's count).
 */
export function ticketPreview(state: TicketState, snapshot: EngineSnapshot, sellable: string): TicketPreview | undefined {
  const qty = exact(state.qty, QTY_DECIMALS);
  if (qty === undefined || qty <= 0n) return undefined;
  return state.side === 'buy' ? buyPreview(state, snapshot, qty) : sellPreview(state, snapshot, qty, exact(sellable, QTY_DECIMALS) ?? 0n);
}

function buyPreview(state: TicketState, snapshot: EngineSnapshot, qty: bigint): TicketPreview | undefined {
  const request = draftRequest(state);
  const quote = snapshot.quotes.find((q) => q.symbol === state.symbol);
  // Valued as the engine reserves it: at its limit, else its stop, else the ask it would take.
  const price = exact(request.limitPrice, PRICE_DECIMALS) ?? exact(request.stopPrice, PRICE_DECIMALS) ?? exact(quote?.ask, PRICE_DECIMALS);
  const power = exact(snapshot.portfolio.buyingPower, CENT_DECIMALS);
  if (price === undefined || power === undefined) return undefined;
  const cost = notional(price, qty);
  const over = cost > power;
  return { text: `≈ ${formatUsd(cost)} of ${formatUsd(power)} buying power${over ? ': more than you have' : ''}`, warning: over };
}

function sellPreview(state: TicketState, snapshot: EngineSnapshot, qty: bigint, free: bigint): TicketPreview {
  const held = exact(snapshot.portfolio.positions.find((p) => p.symbol === state.symbol)?.qty, QTY_DECIMALS) ?? 0n;
  const margin = snapshot.portfolio.accountKind === 'margin';
  const over = qty > free;
  const beyond = !over ? '' : margin ? ': the rest opens a short' : ': more than you can sell';
  return { text: `held ${formatQty(held)}, ${formatQty(free)} free to sell${beyond}`, warning: over && !margin };
}
