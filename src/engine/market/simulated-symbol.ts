import { PRICE_DECIMALS, PRICE_SCALE, type Price } from '../money.ts';
import { assetClassOf, forexDecimals } from './symbols.ts';
import type { AssetClass } from './types.ts';

// One simulated symbol: its seeded random number generator, price walk, quote and sizes.

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const MICROS_PER_UNIT = Number(PRICE_SCALE);
export const PENNY_MICROS = MICROS_PER_UNIT / 100;
export const TRADE_SHARE = 0.3;
// Real-world volatilities doubled, so a simulated session swings enough for strategies to act.
const VOLATILITY_BOOST = 2;
export const CRYPTO_SPREAD_BP = 1;

interface AssetProfile {
  readonly annualVolatility: number;
  /** How long a year of trading lasts, so the annual volatility spreads over the hours that trade. */
  readonly tradingYearMs: number;
  /** Sizes are drawn as whole counts of this many nanos (round lot, 0.0001 coin, 100k units). */
  readonly sizeUnitNanos: number;
}

const PROFILES: Readonly<Record<AssetClass, AssetProfile>> = {
  stock: { annualVolatility: 0.3, tradingYearMs: 252 * 6.5 * HOUR_MS, sizeUnitNanos: 100 * 1e9 },
  crypto: { annualVolatility: 0.6, tradingYearMs: 365 * 24 * HOUR_MS, sizeUnitNanos: 1e5 },
  forex: { annualVolatility: 0.08, tradingYearMs: 260 * 24 * HOUR_MS, sizeUnitNanos: 100_000 * 1e9 },
};

/** Roughly where well-known tickers traded in late 2024, so the simulation looks familiar. */
const STARTING_PRICES: Readonly<Record<string, number>> = {
  AAPL: 230,
  MSFT: 420,
  NVDA: 140,
  TSLA: 250,
  AMZN: 200,
  GOOGL: 170,
  META: 560,
  SPY: 590,
  QQQ: 500,
  'X:BTCUSD': 95_000,
  'X:ETHUSD': 3_400,
  'C:EURUSD': 1.05,
  'C:GBPUSD': 1.26,
  'C:USDJPY': 154,
};

/** Where an unknown ticker starts: log-uniform in [low, high], fixed by its name alone. */
const UNKNOWN_PRICE_RANGE: Readonly<Record<AssetClass, readonly [number, number]>> = {
  stock: [10, 500],
  crypto: [1, 1_000],
  forex: [0.5, 2],
};

/** mulberry32: tiny, fast and good enough for a market simulation (not for cryptography). */
class Mulberry32 {
  #state: number;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const state = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
}

/** FNV-1a, so each symbol's path is fixed by its name and the seed, whatever else is subscribed. */
function hashSymbol(symbol: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) hash = Math.imul(hash ^ symbol.charCodeAt(i), 0x01000193);
  return mix32(hash);
}

/** murmur3's finaliser: spreads nearby inputs (seed 42 vs 43) over all 32 bits. */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function startingPrice(symbol: string, assetClass: AssetClass, hash: number): number {
  const known = STARTING_PRICES[symbol];
  if (known !== undefined) return known;
  const [low, high] = UNKNOWN_PRICE_RANGE[assetClass];
  const price = low * (high / low) ** (mix32(hash ^ 0x5bd1e995) / 4_294_967_296);
  return Math.round(price * 100) / 100;
}

/** One symbol's private random walk, quote and current-minute trade totals. */
export class SymbolFeed {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly random: Mulberry32;
  readonly sizeUnitNanos: number;
  readonly sizeUnit: bigint;
  /** Log-price standard deviation per sqrt(ms). */
  readonly volatility: number;
  mid: number;
  /** When mid was last moved; the next move covers all the time since, however long. */
  walkTime: number;
  nextTime = 0;
  quoted = false;
  spareNormal = Number.NaN;
  bidMicros = 0;
  askMicros = 0;
  bid: Price = 0n;
  ask: Price = 0n;
  barOpen = 0;
  barHigh = 0;
  barLow = 0;
  barClose = 0;
  /** Size units traded this minute; 0 means no bar is due for it. */
  barVolume = 0;

  constructor(symbol: string, seed: number, time: number) {
    const hash = hashSymbol(symbol);
    const profile = PROFILES[assetClassOf(symbol)];
    this.symbol = symbol;
    this.assetClass = assetClassOf(symbol);
    this.random = new Mulberry32(mix32(hash + mix32(seed)));
    this.sizeUnitNanos = profile.sizeUnitNanos;
    this.sizeUnit = BigInt(profile.sizeUnitNanos);
    this.volatility = (VOLATILITY_BOOST * profile.annualVolatility) / Math.sqrt(profile.tradingYearMs);
    this.mid = startingPrice(symbol, this.assetClass, hash);
    this.walkTime = time;
  }

  /** Standard normal by Box-Muller, keeping the second draw for next time. */
  normal(): number {
    const spare = this.spareNormal;
    if (spare === spare) {
      this.spareNormal = Number.NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.random.next()));
    const angle = 2 * Math.PI * this.random.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Stocks: lots of 100 shares, 1–20; crypto: 0.01–2 coins, log-uniform; forex: 100k–5M units. */
  drawSizeUnits(): number {
    const u = this.random.next();
    if (this.assetClass === 'stock') return 1 + Math.floor(u * 20);
    if (this.assetClass === 'forex') return 1 + Math.floor(u * 50);
    return Math.round(100 * 200 ** u);
  }
}

export function tickMicros(assetClass: AssetClass, price: number): number {
  if (assetClass === 'forex') return 10 ** (PRICE_DECIMALS - forexDecimals(price));
  if (assetClass === 'crypto') return PENNY_MICROS;
  return price >= 1 ? PENNY_MICROS : 100;
}
