import { formatPrice, formatQty, PRICE_SCALE, QTY_SCALE, type Price, type Qty } from '../money.ts';
import { assetClassOf, quoteCurrencyOf } from '../market/symbols.ts';
import type { AssetClass } from '../market/types.ts';
import type { ValidOrderRequest } from '../orders/validate-order.ts';
import { defaultFillModel, type FillModel } from './fill-model.ts';
import type { FeeModel } from './fee-model.ts';
import type { SlippageModel } from './slippage-model.ts';

/** One per asset class: the trading rules of that market plus its fill, fee and slippage models. */
export interface BrokerageModel {
  readonly assetClass: AssetClass;
  readonly fill: FillModel;
  readonly fee: FeeModel;
  readonly slippage: SlippageModel;
  /** The smallest quantity step an order of this kind may use. */
  lotSize(order: Pick<ValidOrderRequest, 'type' | 'timeInForce'>): Qty;
  /** The price increment at this price level. */
  tickSize(price: Price): Price;
  /** Why this market cannot take the order, or undefined. */
  check(order: ValidOrderRequest): string | undefined;
}

const ONE_CENT = PRICE_SCALE / 100n;

/** A stock's price increment, as Reg NMS sets it: a penny at $1 and above, a hundredth of a penny below. */
export const stockTick = (price: Price): Price => (price >= PRICE_SCALE ? ONE_CENT : ONE_CENT / 100n);
const NANO = 1n;

// Cash is kept in USD, so only pairs priced in USD can be traded (any pair can be watched).
function usdOnly(order: ValidOrderRequest): string | undefined {
  const currency = quoteCurrencyOf(order.symbol);
  if (currency === 'USD') return undefined;
  return `${order.symbol} is priced in ${currency}; the paper account holds USD, so only USD-priced pairs can be traded`;
}

function checkIncrements(model: BrokerageModel, order: ValidOrderRequest): string | undefined {
  const lot = model.lotSize(order);
  if (order.qty % lot !== 0n) {
    const whole = lot === QTY_SCALE && model.assetClass === 'stock'
      ? ' (fractional shares are allowed only for day market and limit orders)'
      : '';
    return `qty ${formatQty(order.qty)} is not a multiple of ${formatQty(lot)} for ${order.symbol}${whole}`;
  }
  for (const [name, price] of [['limit price', order.limitPrice], ['stop price', order.stopPrice]] as const) {
    if (price === undefined) continue;
    const tick = model.tickSize(price);
    if (price % tick !== 0n) return `${name} ${formatPrice(price)} is not a multiple of the ${formatPrice(tick)} tick for ${order.symbol}`;
  }
  return undefined;
}

export interface ModelParts {
  fee: FeeModel;
  slippage: SlippageModel;
  fill?: FillModel;
}

/** The trading rules that tell one market from another. */
interface MarketRules {
  lotSize: BrokerageModel['lotSize'];
  tickSize: BrokerageModel['tickSize'];
  /** Only USD-priced symbols can be traded in a USD account. */
  usdOnly: boolean;
}

function brokerage(assetClass: AssetClass, parts: ModelParts, rules: MarketRules): BrokerageModel {
  const model: BrokerageModel = {
    assetClass,
    fill: parts.fill ?? defaultFillModel,
    fee: parts.fee,
    slippage: parts.slippage,
    lotSize: rules.lotSize,
    tickSize: rules.tickSize,
    check: (order) => (rules.usdOnly ? usdOnly(order) : undefined) ?? checkIncrements(model, order),
  };
  return model;
}

export const stockBrokerage = (parts: ModelParts): BrokerageModel =>
  brokerage('stock', parts, {
    // Fractional shares as Alpaca allows them: market and limit orders, time in force day.
    lotSize: (order) => ((order.type === 'market' || order.type === 'limit') && order.timeInForce === 'day' ? NANO : QTY_SCALE),
    tickSize: stockTick,
    usdOnly: false,
  });

export const cryptoBrokerage = (parts: ModelParts): BrokerageModel =>
  brokerage('crypto', parts, {
    lotSize: () => NANO,
    tickSize: (price) => (price >= PRICE_SCALE ? ONE_CENT : 1n),
    usdOnly: true,
  });

export const forexBrokerage = (parts: ModelParts): BrokerageModel =>
  brokerage('forex', parts, {
    lotSize: () => QTY_SCALE,
    tickSize: () => 10n, // 0.00001: a tenth of a pip
    usdOnly: true,
  });

export type BrokerageModels = Record<AssetClass, BrokerageModel>;

export function createBrokerageModels(parts: ModelParts): BrokerageModels {
  return { stock: stockBrokerage(parts), crypto: cryptoBrokerage(parts), forex: forexBrokerage(parts) };
}

export const brokerageFor = (models: BrokerageModels, symbol: string): BrokerageModel => models[assetClassOf(symbol)];
