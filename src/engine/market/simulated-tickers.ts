import { closestMatch } from '../closest-match.ts';

// The tickers the simulated market simulates: well-known US stocks and ETFs, crypto and forex
// majors. A ticker outside it would get a made-up price and trade like a real one; it is refused
// instead, with the closest one it knows (Polygon's market checks against Polygon's own list).

const STOCKS = `AAPL MSFT NVDA AMZN GOOGL GOOG META TSLA BRK.B AVGO JPM LLY V UNH XOM MA JNJ PG HD COST ABBV MRK CVX KO PEP
  ADBE CRM WMT BAC NFLX AMD TMO ORCL CSCO ACN MCD ABT LIN DHR WFC DIS TXN PM INTC VZ CMCSA NKE IBM QCOM AMGN UNP HON
  INTU CAT GS MS SPGI LOW BA AMAT SBUX RTX DE GE PLD BLK AXP ISRG MDT GILD BKNG ADP LMT SYK TJX MMC C CVS SCHW ADI MO
  CB ZTS PYPL UBER ABNB SHOP COIN PLTR SNOW F GM T PFE NEE DUK SO AA A MU PANW CRWD NOW MRVL ARM SMCI DELL HPQ
  SPY QQQ IWM DIA VTI VOO EEM GLD SLV TLT XLF XLE XLK ARKK`;
const CRYPTO = 'BTC ETH SOL ADA XRP DOGE LTC DOT AVAX LINK BCH';
const FOREX = 'EURUSD GBPUSD USDJPY AUDUSD USDCAD USDCHF NZDUSD EURGBP EURJPY GBPJPY USDCNH USDMXN';

const SIMULATED_TICKERS: ReadonlySet<string> = new Set([
  ...STOCKS.split(/\s+/).filter(Boolean),
  ...CRYPTO.split(' ').map((coin) => `X:${coin}USD`),
  ...FOREX.split(' ').map((pair) => `C:${pair}`),
]);

/** The tickers holding `text` (AAPL's "AP", the pair's "EUR"), those starting with it first. */
export function searchSimulated(text: string, limit: number): string[] {
  const needle = text.trim().toUpperCase();
  if (needle === '') return [];
  const found = [...SIMULATED_TICKERS].filter((ticker) => ticker.includes(needle));
  const plain = (ticker: string): string => ticker.replace(/^[XC]:/, '');
  return found.sort((a, b) => Number(!plain(b).startsWith(needle)) - Number(!plain(a).startsWith(needle)) || a.length - b.length || a.localeCompare(b)).slice(0, limit);
}

/** One line for a ticker the simulated market does not simulate (with the closest it does), or undefined. */
export function unknownToSimulation(symbol: string): string | undefined {
  if (SIMULATED_TICKERS.has(symbol)) return undefined;
  const closest = closestMatch(symbol, SIMULATED_TICKERS);
  return `Unknown symbol "${symbol}"${closest ? ` (did you mean ${closest}?)` : ''}: the simulated market knows ${SIMULATED_TICKERS.size} well-known tickers (the README lists them); with POLYGON_API_KEY set, any ticker Polygon has`;
}
