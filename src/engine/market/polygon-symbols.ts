import { closestMatch } from '../closest-match.ts';
import type { PolygonRest } from './polygon-rest.ts';
import { assetClassOf, type SymbolResult } from './symbols.ts';

// Symbols checked against Polygon's reference tickers, which are case-sensitive (PROTOCOL.md §3.6,
// §3.7): AMpB is not AMPB. Lowercase input is read only where it names one ticker.

/**
 * What `typed` (normalised to `symbol`) names on Polygon: the ticker, or one line saying it is
 * unknown (with the closest ticker) or ambiguous. Undefined when Polygon could not be asked.
 */
export async function checkPolygonSymbol(rest: PolygonRest, typed: string, symbol: string): Promise<SymbolResult | undefined> {
  try {
    const lowercase = typed.trim() === typed.trim().toLowerCase();
    if (lowercase && assetClassOf(symbol) === 'stock') {
      const same = [...new Set((await rest.searchTickers(symbol)).filter((ticker) => ticker.toUpperCase() === symbol))];
      if (same.length > 1) {
        return { ok: false, error: `"${typed.trim()}" could be ${same.join(' or ')}: Polygon's tickers are case-sensitive, so type the one you mean` };
      }
      if (same.length === 1) return { ok: true, symbol: same[0]! };
    }
    if (await rest.tickerExists(symbol)) return { ok: true, symbol };
    const near = await rest.searchTickers(symbol.replace(/^[XC]:/, '').slice(0, 2), 100).catch(() => []);
    const suggestion = closestMatch(symbol, near.filter((ticker) => ticker !== symbol), (text) => text.toUpperCase());
    return { ok: false, error: `Unknown symbol "${symbol}": Polygon has no such ticker${suggestion ? ` (did you mean ${suggestion}?)` : ''}` };
  } catch {
    return undefined;
  }
}
