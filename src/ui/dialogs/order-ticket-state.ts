// The order ticket as a pure reducer: the view only maps keys to actions and draws the state.
import type { OrderChanges, OrderRequest, OrderType, OrderView, Side, TimeInForce } from '../../engine/index.ts';
import { ORDER_TYPES, TIMES_IN_FORCE } from '../../engine/orders/order.ts';
import { validateOrderRequest } from '../../engine/orders/validate-order.ts';
import { editLine, type LineAction } from './line-edit.ts';
import { assetClassOf } from '../../engine/market/symbols.ts';

export type TicketField = 'qty' | 'type' | 'limitPrice' | 'stopPrice' | 'trail' | 'timeInForce' | 'extendedHours' | 'takeProfit' | 'stopLoss';
export type TicketTextField = 'qty' | 'limitPrice' | 'stopPrice' | 'trail' | 'takeProfit' | 'stopLoss';

/** Longest text a field takes; a paste beyond it is cut. */
const MAX_FIELD_LENGTH = 24;

export interface TicketFields {
  readonly qty: string;
  readonly type: OrderType;
  readonly limitPrice: string;
  readonly stopPrice: string;
  /** A trailing stop's trail: a price (0.50) or, ending in %, a percent (1.5%). */
  readonly trail: string;
  readonly timeInForce: TimeInForce;
  /** A stock limit order may also fill in the pre-market and after hours. */
  readonly extendedHours: boolean;
  /**
   * Optional exits (Alpaca's order classes): a buy's take-profit limit and stop-loss stop make it a
   * bracket (both) or an oto (one); a sell limit's stop-loss makes it an oco with the limit.
   */
  readonly takeProfit: string;
  readonly stopLoss: string;
}

export interface TicketState extends TicketFields {
  readonly side: Side;
  readonly symbol: string;
  /** A replace keeps the order's type and time in force: only its qty, prices and trail change. */
  readonly fixedKind: boolean;
  readonly focus: TicketField;
  /** Where typing goes in the focused text field (line-edit.ts); at its end when it takes the focus. */
  readonly cursor: number;
  /** The engine's validation message for the request as it stands (it reports the first problem, so 0 or 1 entries). */
  readonly errors: readonly string[];
  /** Set by a valid submit; the view hands it to onSubmit. */
  readonly submitted: OrderRequest | undefined;
  /** Why the engine refused the last submit: shown with the input kept, until the next edit. */
  readonly refusal: string | undefined;
  /** --confirm-orders: Enter asks first (confirming), and only a second Enter places. */
  readonly confirm: boolean;
  readonly confirming: boolean;
  readonly canceled: boolean;
}

export type TicketAction =
  | { type: 'focusNext' }
  | { type: 'focusPrevious' }
  /** An edit of the focused text field: typed or pasted text, Backspace, the cursor moved, a word deleted… */
  | { type: 'edit'; action: LineAction }
  /** Next (1) or previous (-1) choice of the focused choice field. */
  | { type: 'cycle'; direction: 1 | -1 }
  | { type: 'submit' }
  /** The engine refused the submitted request: the ticket stays open, its input kept, to correct it. */
  | { type: 'refused'; reason: string }
  | { type: 'cancel' };

/** The fields shown for an order type, in focus order; prices that don't apply are hidden and never sent. */
export function visibleFields(type: OrderType, side: Side = 'buy', replacing = false, stock = true): readonly TicketField[] {
  if (replacing) return orderFields(type);
  return [...orderFields(type), ...(type === 'limit' && stock ? (['extendedHours'] as const) : []), ...exitFields(type, side)];
}

/** The fields a ticket shows now. */
export const ticketFields = (state: TicketState): readonly TicketField[] => visibleFields(state.type, state.side, state.fixedKind, assetClassOf(state.symbol) === 'stock');

function orderFields(type: OrderType): readonly TicketField[] {
  switch (type) {
    case 'market':
      return ['qty', 'type', 'timeInForce'];
    case 'limit':
      return ['qty', 'type', 'limitPrice', 'timeInForce'];
    case 'stop':
      return ['qty', 'type', 'stopPrice', 'timeInForce'];
    case 'stop_limit':
      return ['qty', 'type', 'limitPrice', 'stopPrice', 'timeInForce'];
    case 'trailing_stop':
      return ['qty', 'type', 'trail', 'timeInForce'];
  }
}

/** A buy entry may take both exits (a bracket, or an oto with one); a sell limit, a stop-loss beside it (an oco). */
function exitFields(type: OrderType, side: Side): readonly TicketField[] {
  if (side === 'sell') return type === 'limit' ? ['stopLoss'] : [];
  return type === 'trailing_stop' ? [] : ['takeProfit', 'stopLoss'];
}

export const isTextField = (field: TicketField): field is TicketTextField =>
  field === 'qty' || field === 'limitPrice' || field === 'stopPrice' || field === 'trail' || field === 'takeProfit' || field === 'stopLoss';

/** A working order's fields as the ticket shows them, to replace it. */
export function ticketFieldsOf(order: OrderView): TicketFields {
  return {
    qty: order.qty,
    type: order.type as OrderType,
    limitPrice: order.limitPrice ?? '',
    stopPrice: order.type === 'trailing_stop' ? '' : (order.stopPrice ?? ''),
    trail: order.trailPercent !== null ? `${order.trailPercent}%` : (order.trailPrice ?? ''),
    timeInForce: order.timeInForce as TimeInForce,
    extendedHours: order.extendedHours,
    takeProfit: '',
    stopLoss: '',
  };
}

/** What a replace ticket's request changes: its qty, prices and trail. */
export function replaceChanges(request: OrderRequest): OrderChanges {
  const { qty, limitPrice, stopPrice, trailPrice, trailPercent } = request;
  return Object.fromEntries(Object.entries({ qty, limitPrice, stopPrice, trailPrice, trailPercent }).filter(([, value]) => value !== undefined));
}

export function initialTicket(side: Side, symbol: string, defaults: Partial<TicketFields> = {}, fixedKind = false, confirm = false): TicketState {
  const fields: TicketFields = {
    qty: defaults.qty ?? '',
    type: defaults.type ?? 'market',
    limitPrice: defaults.limitPrice ?? '',
    stopPrice: defaults.stopPrice ?? '',
    trail: defaults.trail ?? '',
    timeInForce: defaults.timeInForce ?? 'day',
    extendedHours: defaults.extendedHours ?? false,
    takeProfit: defaults.takeProfit ?? '',
    stopLoss: defaults.stopLoss ?? '',
  };
  return withErrors({ side, symbol, fixedKind, ...fields, focus: 'qty', cursor: fields.qty.length, errors: [], submitted: undefined, refusal: undefined, confirm, confirming: false, canceled: false });
}

/** The request the ticket stands for, valid or not: only the fields its order type uses. */
export function draftRequest(state: TicketState): OrderRequest {
  const fields = ticketFields(state);
  const request: OrderRequest = { symbol: state.symbol, side: state.side, qty: state.qty, type: state.type, timeInForce: state.timeInForce };
  if (fields.includes('limitPrice')) request.limitPrice = state.limitPrice;
  if (fields.includes('extendedHours') && state.extendedHours) request.extendedHours = true;
  if (fields.includes('stopPrice')) request.stopPrice = state.stopPrice;
  if (fields.includes('trail')) {
    const trail = state.trail.trim();
    if (trail.endsWith('%')) request.trailPercent = trail.slice(0, -1).trim();
    else request.trailPrice = trail;
  }
  const takeProfit = fields.includes('takeProfit') ? state.takeProfit.trim() : '';
  const stopLoss = fields.includes('stopLoss') ? state.stopLoss.trim() : '';
  if (takeProfit === '' && stopLoss === '') return request;
  if (state.side === 'sell') return { ...request, orderClass: 'oco', takeProfit: { limitPrice: state.limitPrice }, stopLoss: { stopPrice: stopLoss } };
  return {
    ...request,
    orderClass: takeProfit !== '' && stopLoss !== '' ? 'bracket' : 'oto',
    ...(takeProfit === '' ? {} : { takeProfit: { limitPrice: takeProfit } }),
    ...(stopLoss === '' ? {} : { stopLoss: { stopPrice: stopLoss } }),
  };
}

/** The request to place, or undefined while the engine would reject its shape. */
export const ticketRequest = (state: TicketState): OrderRequest | undefined => (state.errors.length === 0 ? draftRequest(state) : undefined);

/** The message to show under the fields: exactly the engine's (why it refused the order, or what is wrong with the input). */
export const ticketError = (state: TicketState): string | undefined => (state.refusal === undefined ? state.errors[0] : `refused: ${state.refusal}`);

export function ticketReducer(state: TicketState, action: TicketAction): TicketState {
  if (action.type === 'refused') return state.submitted ? { ...state, submitted: undefined, confirming: false, refusal: action.reason } : state;
  if (state.submitted || state.canceled) return state;
  // Asked to confirm, anything but Enter goes back to editing.
  if (state.confirming && action.type !== 'submit' && action.type !== 'cancel') return ticketReducer({ ...state, confirming: false }, action);
  switch (action.type) {
    case 'focusNext':
    case 'focusPrevious': {
      const fields = ticketFields(state);
      const step = action.type === 'focusNext' ? 1 : -1;
      const focus = fields[(fields.indexOf(state.focus) + step + fields.length) % fields.length]!;
      return { ...state, focus, cursor: isTextField(focus) ? state[focus].length : 0 };
    }
    case 'edit':
      return edit(state, action.action);
    case 'cycle': {
      if (state.fixedKind) return state;
      if (state.focus === 'type') return withErrors({ ...state, type: cycle(ORDER_TYPES, state.type, action.direction) });
      if (state.focus === 'timeInForce') return withErrors({ ...state, timeInForce: cycle(TIMES_IN_FORCE, state.timeInForce, action.direction) });
      if (state.focus === 'extendedHours') return withErrors({ ...state, extendedHours: !state.extendedHours });
      return state;
    }
    case 'submit': {
      const request = ticketRequest(state);
      if (!request) return state;
      return state.confirm && !state.confirming ? { ...state, confirming: true } : { ...state, submitted: request, confirming: false };
    }
    case 'cancel':
      return { ...state, canceled: true };
  }
}

/** The focused text field edited at its cursor; a choice field takes no text. */
function edit(state: TicketState, action: LineAction): TicketState {
  const field = state.focus;
  if (!isTextField(field)) return state;
  const line = editLine({ text: state[field], cursor: state.cursor }, action, MAX_FIELD_LENGTH);
  if (line.text === state[field]) return line.cursor === state.cursor ? state : { ...state, cursor: line.cursor };
  return withErrors({ ...state, [field]: line.text, cursor: line.cursor } as TicketState);
}

/** An edit: the shape checked again, and a refusal of what was there before forgotten. */
function withErrors(state: TicketState): TicketState {
  const result = validateOrderRequest(draftRequest(state));
  return { ...state, errors: result.ok ? [] : [result.error], refusal: undefined };
}

function cycle<T>(choices: readonly T[], current: T, direction: 1 | -1): T {
  return choices[(choices.indexOf(current) + direction + choices.length) % choices.length]!;
}
