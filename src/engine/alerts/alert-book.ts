// Price and fill alerts: checked on each event of their symbol, kept with the account.
import { formatPrice, parseDecimal, PRICE_DECIMALS, type Price } from '../money.ts';

/** above/below: once, when the symbol's mark reaches the price; fill: on every fill of the symbol, until removed. */
export type AlertKind = 'above' | 'below' | 'fill';
export const ALERT_KINDS: readonly AlertKind[] = ['above', 'below', 'fill'];

export interface Alert {
  readonly id: string;
  readonly symbol: string;
  readonly kind: AlertKind;
  /** The price an above/below alert waits for; absent for a fill alert. */
  readonly price?: Price;
  readonly createdAt: number;
}

/** An alert as the API, the screen and the account's file read it. */
export interface AlertView {
  id: string;
  symbol: string;
  kind: AlertKind;
  price: string | null;
  createdAt: number;
}

/** An alert that went off: what it was, when, and the line the trader reads. */
export interface AlertFired {
  alert: AlertView;
  time: number;
  /** The mark that reached a price alert's price, or the fill's price. */
  price: string;
  message: string;
}

export const alertView = (alert: Alert): AlertView => ({
  id: alert.id,
  symbol: alert.symbol,
  kind: alert.kind,
  price: alert.price === undefined ? null : formatPrice(alert.price),
  createdAt: alert.createdAt,
});

/** A saved alert read back; undefined when it is not one (the caller says the file is damaged). */
export function alertFromView(view: unknown): Alert | undefined {
  if (typeof view !== 'object' || view === null) return undefined;
  const { id, symbol, kind, price, createdAt } = view as Record<string, unknown>;
  if (typeof id !== 'string' || typeof symbol !== 'string' || !ALERT_KINDS.includes(kind as AlertKind) || typeof createdAt !== 'number') return undefined;
  if (kind === 'fill') return { id, symbol, kind, createdAt };
  const parsed = parseDecimal(price, PRICE_DECIMALS);
  return parsed.ok && parsed.value > 0n ? { id, symbol, kind: kind as AlertKind, price: parsed.value, createdAt } : undefined;
}

export const describeAlert = (alert: AlertView): string => (alert.kind === 'fill' ? `${alert.symbol} fills` : `${alert.symbol} ${alert.kind} ${alert.price}`);

export class AlertBook {
  readonly #bySymbol = new Map<string, Alert[]>();
  #next = 1;

  constructor(saved: readonly Alert[] = []) {
    for (const alert of saved) this.#put(alert);
  }

  /** Whether any alert waits on `symbol`: the engine asks before it looks at the event. */
  watches(symbol: string): boolean {
    return this.#bySymbol.has(symbol);
  }

  add(symbol: string, kind: AlertKind, price: Price | undefined, createdAt: number): Alert {
    const alert: Alert = { id: `a-${this.#next}`, symbol, kind, ...(price === undefined ? {} : { price }), createdAt };
    this.#put(alert);
    return alert;
  }

  remove(id: string): Alert | undefined {
    for (const [symbol, alerts] of this.#bySymbol) {
      const index = alerts.findIndex((alert) => alert.id === id);
      if (index < 0) continue;
      const [removed] = alerts.splice(index, 1);
      if (alerts.length === 0) this.#bySymbol.delete(symbol);
      return removed;
    }
    return undefined;
  }

  /** Every alert, oldest first. */
  list(): Alert[] {
    return [...this.#bySymbol.values()].flat().sort((a, b) => seq(a.id) - seq(b.id));
  }

  /** The price alerts of `symbol` that `mark` reached: removed, since each goes off once. */
  reached(symbol: string, mark: Price): Alert[] {
    const alerts = this.#bySymbol.get(symbol);
    if (!alerts) return [];
    const fired = alerts.filter((alert) => (alert.kind === 'above' && mark >= alert.price!) || (alert.kind === 'below' && mark <= alert.price!));
    for (const alert of fired) this.remove(alert.id);
    return fired;
  }

  /** The fill alerts of `symbol`: they stay, to go off at its next fill too. */
  fills(symbol: string): Alert[] {
    return (this.#bySymbol.get(symbol) ?? []).filter((alert) => alert.kind === 'fill');
  }

  #put(alert: Alert): void {
    const alerts = this.#bySymbol.get(alert.symbol);
    if (alerts) alerts.push(alert);
    else this.#bySymbol.set(alert.symbol, [alert]);
    this.#next = Math.max(this.#next, seq(alert.id) + 1);
  }
}

const seq = (id: string): number => Number(id.slice(2)) || 0;

/** What a trader asks for: a price alert (above/below and a price) or a fill alert. */
export interface AlertRequest {
  symbol: string;
  kind: AlertKind;
  price?: string | number | undefined;
}

/**
 * The request's kind and price, or why it cannot be: a price alert needs a price the mark has not
 * reached yet (it would go off at once), a fill alert takes none.
 */
export function checkAlertRequest(request: AlertRequest, mark: Price | undefined, format: (price: Price) => string): { ok: true; kind: AlertKind; price: Price | undefined } | { ok: false; error: string } {
  const { kind, symbol } = request;
  if (!ALERT_KINDS.includes(kind)) return { ok: false, error: `"${String(kind)}" is not an alert kind: use above, below or fill` };
  if (kind === 'fill') {
    if (request.price !== undefined && request.price !== '') return { ok: false, error: 'a fill alert takes no price: it goes off at each fill of the symbol' };
    return { ok: true, kind, price: undefined };
  }
  const parsed = parseDecimal(typeof request.price === 'number' ? String(request.price) : request.price, PRICE_DECIMALS);
  if (!parsed.ok || parsed.value <= 0n) return { ok: false, error: `an ${kind} alert needs a price above 0, like 190.50${request.price === undefined ? '' : ` (got "${String(request.price)}")`}` };
  const price = parsed.value;
  if (mark !== undefined && (kind === 'above' ? mark >= price : mark <= price)) {
    return { ok: false, error: `${symbol} is at ${format(mark)}, already ${kind === 'above' ? 'at or above' : 'at or below'} ${format(price)}: set a price ${kind === 'above' ? 'over' : 'under'} it` };
  }
  return { ok: true, kind, price };
}
