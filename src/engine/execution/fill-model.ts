import type { Price, Qty } from '../money.ts';
import type { Bar, MarketEvent, Quote, Trade } from '../market/types.ts';
import type { Order } from '../orders/order.ts';

/** Where a working order can fill now, and how much the market shows there. */
export interface FillOpportunity {
  price: Price;
  liquidity: Qty;
}

/** Decides when and where orders fill; the executor enforces sizes, cash and time in force. */
export interface FillModel {
  stopTriggered(order: Order, event: MarketEvent): boolean;
  /** arriving: the order just arrived (or its stop just triggered) rather than resting in the book. */
  onQuote(order: Order, quote: Quote, arriving: boolean): FillOpportunity | undefined;
  /** For symbols that have no quotes (bars-only or trades-only feeds). */
  onPrint(order: Order, print: Trade | Bar): FillOpportunity | undefined;
}

/**
 * Without quotes, a stop that a print triggered cannot have filled better than its stop (a buy
 * stop reached by a bar's high does not buy at a close below it), as Lean's stop-market fill.
 */
function stopBound(order: Order, price: Price): Price {
  if (order.type !== 'stop') return price;
  const stop = order.stopPrice!;
  return order.side === 'buy' ? (price > stop ? price : stop) : price < stop ? price : stop;
}

/** Behaves as a market order (market, or a triggered stop) or as a limit order. */
const actsAsMarket = (order: Order): boolean => order.type === 'market' || order.type === 'stop';

export const defaultFillModel: FillModel = {
  stopTriggered(order, event) {
    const stop = order.stopPrice!;
    const buy = order.side === 'buy';
    switch (event.kind) {
      case 'quote': return buy ? event.ask >= stop : event.bid <= stop;
      case 'trade': return buy ? event.price >= stop : event.price <= stop;
      case 'bar': return buy ? event.high >= stop : event.low <= stop;
    }
  },

  onQuote(order, quote, arriving) {
    const buy = order.side === 'buy';
    const price = buy ? quote.ask : quote.bid;
    const liquidity = buy ? quote.askSize : quote.bidSize;
    if (price <= 0n || liquidity <= 0n) return undefined;
    if (actsAsMarket(order)) return { price, liquidity };
    const limit = order.limitPrice!;
    const marketable = buy ? price <= limit : price >= limit;
    if (!marketable) return undefined;
    // Marketable on arrival: takes the quote. Resting: it was in the book at its limit,
    // so the opposite side reaching or crossing it trades at the limit.
    return { price: arriving ? price : limit, liquidity };
  },

  onPrint(order, print) {
    const buy = order.side === 'buy';
    if (print.kind === 'trade') {
      if (actsAsMarket(order)) return { price: stopBound(order, print.price), liquidity: print.size };
      const through = buy ? print.price < order.limitPrice! : print.price > order.limitPrice!;
      return through ? { price: order.limitPrice!, liquidity: print.size } : undefined;
    }
    // A bar arrives when it closes: a market order takes its close; a limit fills at its
    // price only if the bar traded through it.
    if (actsAsMarket(order)) return { price: stopBound(order, print.close), liquidity: print.volume };
    const through = buy ? print.low < order.limitPrice! : print.high > order.limitPrice!;
    return through ? { price: order.limitPrice!, liquidity: print.volume } : undefined;
  },
};
