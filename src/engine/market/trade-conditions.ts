import type { PrintEligibility } from './types.ts';

// What a US stock trade may update, by its sale conditions: Polygon's `c` codes and the
// consolidated update rules of GET /v3/reference/conditions?asset_class=stocks&data_type=trade
// (the SIPs' matrices: CTA output specification's sale-condition table, UTP's likewise). Polygon
// builds its own aggregates from these consolidated rules ("Polygon.io currently only offers
// aggregates for the consolidated feed, so only the consolidated rules apply":
// polygon.io/knowledge-base/article/how-does-polygon-create-the-ohlcv-open-high-low-close-volume-aggregate-bars,
// whose worked example is condition 2, Average Price Trade: volume only).
// `updates_open_close` is what moves the last price; here it is `last`.
// Rows transcribed from the conditions endpoint's stock trade conditions as published in Polygon's
// glossary (polygon.io/glossary/us/stocks/conditions-indicators; QuantConnect's
// ToolBox/Polygon/PolygonSIPTradeMappings.cs carries the same matrix), cross-checked against
// recorded /v3/reference/conditions rows for ids 2, 10, 12, 14, 32, 37, 38 and 41.

interface Rule {
  readonly name: string;
  readonly highLow: boolean;
  readonly last: boolean;
  readonly volume: boolean;
  /** Form T and its out-of-sequence twin: printed before the open or after the close. */
  readonly extendedHours?: true;
}

const rule = (name: string, highLow: boolean, last: boolean, volume: boolean, extendedHours?: true): Rule =>
  extendedHours ? { name, highLow, last, volume, extendedHours } : { name, highLow, last, volume };
const ALL = [true, true, true] as const;

/** Sale conditions by Polygon id. Indicators (trade-through exempt, short-sale restriction, financial status) restrict nothing and are absent. */
export const SALE_CONDITIONS: ReadonlyMap<number, Rule> = new Map([
  [0, rule('Regular Sale', ...ALL)],
  [1, rule('Acquisition', ...ALL)],
  [2, rule('Average Price Trade', false, false, true)],
  [3, rule('Automatic Execution', ...ALL)],
  [4, rule('Bunched Trade', ...ALL)],
  [5, rule('Bunched Sold Trade', true, false, true)],
  [6, rule('CAP Election', ...ALL)],
  [7, rule('Cash Sale', false, false, true)],
  [8, rule('Closing Prints', ...ALL)],
  [9, rule('Cross Trade', ...ALL)],
  [10, rule('Derivatively Priced', true, false, true)],
  [11, rule('Distribution', ...ALL)],
  [12, rule('Form T/Extended Hours', false, false, true, true)],
  [13, rule('Extended Hours (Sold Out Of Sequence)', false, false, true, true)],
  [14, rule('Intermarket Sweep', ...ALL)],
  [15, rule('Market Center Official Close', false, false, false)],
  [16, rule('Market Center Official Open', false, false, false)],
  [17, rule('Market Center Opening Trade', true, false, true)],
  [18, rule('Market Center Reopening Trade', ...ALL)],
  [19, rule('Market Center Closing Trade', ...ALL)],
  [20, rule('Next Day', false, false, true)],
  [21, rule('Price Variation Trade', false, false, true)],
  [22, rule('Prior Reference Price', true, false, true)],
  [23, rule('Rule 155 Trade (AMEX)', ...ALL)],
  [24, rule('Rule 127 (NYSE Only)', ...ALL)],
  [25, rule('Opening Prints', ...ALL)],
  [27, rule('Stopped Stock (Regular Trade)', ...ALL)],
  [28, rule('Re-Opening Prints', ...ALL)],
  [29, rule('Seller', false, false, true)],
  [30, rule('Sold Last', ...ALL)],
  [31, rule('Sold Last and Stopped Stock', ...ALL)],
  [32, rule('Sold (Out Of Sequence)', true, false, true)],
  [33, rule('Sold (Out of Sequence) and Stopped Stock', true, false, true)],
  [34, rule('Split Trade', ...ALL)],
  [35, rule('Stock Option', ...ALL)],
  [36, rule('Yellow Flag Regular Trade', ...ALL)],
  [37, rule('Odd Lot Trade', false, false, true)],
  [38, rule('Corrected Consolidated Close (per listing market)', true, true, false)],
  [52, rule('Contingent Trade', false, false, true)],
  [53, rule('Qualified Contingent Trade', false, false, true)],
  [55, rule('Opening Reopening Trade Detail', ...ALL)],
]);

/** A regular sale: it updates everything. */
const REGULAR_PRINT: PrintEligibility = Object.freeze({ last: true, highLow: true, volume: true, extendedHours: false, conditions: Object.freeze([]) as readonly number[] });

// A stream repeats a handful of condition sets endlessly: each is worked out once. Sets of up to
// three small codes (nearly all of them) are keyed by a number, so a print allocates nothing.
const bySet = new Map<number | string, PrintEligibility>();
const CACHE_LIMIT = 1_000;

function setKey(conditions: readonly number[]): number | string {
  if (conditions.length > 3) return conditions.join(',');
  let key = 0;
  for (const code of conditions) {
    if (code >= 1023) return conditions.join(',');
    key = key * 1024 + code + 1;
  }
  return key;
}

/**
 * What a stock print with these condition ids may update. Every condition must allow a field for
 * the print to update it (the SIP matrices' reading); a code not in the table restricts nothing.
 */
export function stockPrintEligibility(conditions: readonly number[]): PrintEligibility {
  if (conditions.length === 0) return REGULAR_PRINT;
  const key = setKey(conditions);
  const cached = bySet.get(key);
  if (cached) return cached;
  let last = true;
  let highLow = true;
  let volume = true;
  let extendedHours = false;
  for (const code of conditions) {
    const found = SALE_CONDITIONS.get(code);
    if (!found) continue;
    last &&= found.last;
    highLow &&= found.highLow;
    volume &&= found.volume;
    extendedHours ||= found.extendedHours === true;
  }
  const eligibility: PrintEligibility = Object.freeze({ last, highLow, volume, extendedHours, conditions: Object.freeze([...conditions]) });
  if (bySet.size >= CACHE_LIMIT) bySet.clear();
  bySet.set(key, eligibility);
  return eligibility;
}

/** The names of a print's conditions, for the log: "Odd Lot Trade, Intermarket Sweep". */
export function conditionNames(conditions: readonly number[]): string {
  return conditions.map((code) => SALE_CONDITIONS.get(code)?.name ?? `condition ${code}`).join(', ');
}
