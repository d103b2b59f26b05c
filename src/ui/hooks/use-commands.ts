import type { Engine, EngineSnapshot, OrderRequest, Side } from '../../engine/index.ts';
import { EngineInputError, isWorking } from '../../engine/index.ts';
import { orderTypeText } from '../format.ts';
import { MAIN_VIEW, type AppAction, type AppState, type View } from '../app-state.ts';
import { ticketFieldsOf } from '../dialogs/order-ticket-state.ts';
import { keysFor, screensOf, type Command } from '../keymap.ts';
import { prefilledTicket } from '../views/symbol-details.ts';
import { nextSort } from '../sorting.ts';
import { positions, rowCount, watchlistRows, workingOrders } from '../selectors.ts';
import type { UiStore } from '../store.ts';

export interface CommandContext {
  engine: Engine;
  store: UiStore;
  quickQty: (symbol: string) => string;
  onQuit: () => void;
  /** The newest app state (keys can arrive faster than frames). */
  current: () => AppState;
  dispatch: (action: AppAction) => void;
  /** Runs work on the engine, then shows its effect in the next frame; returns what the work returned. */
  act: <T>(work: () => T) => T;
  /** --confirm-orders: every order asks before it is placed. */
  confirmOrders: boolean;
  /** Lines a view's page scrolls. */
  pageLines: () => number;
}

const ACTIVITY_VIEW: View = { kind: 'activity', query: '', filter: 'all', scroll: 0 };
const NO_SYMBOL = 'no symbol selected: add one with a';

/** What each command of the key map does: selection, dialogs, and orders sent to the engine. */
export function useCommands({ engine, store, quickQty, onQuit, current, dispatch, act, confirmOrders, pageLines }: CommandContext) {
  // Keys can arrive faster than frames: handlers read the newest state, not the last rendered one.
  const selectedSymbol = (): string | undefined => {
    const state = store.getState();
    const ui = current();
    if (ui.view.kind === 'symbol') return ui.view.symbol;
    if (ui.focus === 'positions') return positions(state, ui.sort.positions)[ui.selected.positions]?.symbol;
    if (ui.focus === 'orders') return workingOrders(state)[ui.selected.orders]?.symbol;
    return watchlistRows(state, ui.sort.quotes)[ui.selected.quotes]?.symbol;
  };

  // An order is acted on only when the trader can see it selected: the Orders pane has the focus.
  const selectedOrder = () => (current().focus === 'orders' ? workingOrders(store.getState())[current().selected.orders] : undefined);
  const noOrderSelected = (what: string): string =>
    current().focus === 'orders' ? `no working order to ${what}` : `select the order to ${what} first: Tab to the Orders pane, then j/k`;

  /** Places an order; returns why the engine refused it (the engine's log says so too), or nothing. */
  const place = (request: OrderRequest): string | undefined =>
    act(() => {
      const order = engine.submitOrder(request);
      // A fill and a refusal are logged by the engine; say only what neither filled nor was refused.
      if (order.status === 'rejected') return order.reason ?? 'rejected';
      if (order.status !== 'filled') store.note('info', `${order.id} ${order.side} ${order.qty} ${order.symbol} ${orderTypeText(order.type)}: ${order.status.replace('_', ' ')}`);
      return undefined;
    });

  /** A view, or the main screen when it is the view already (l and p toggle). */
  const toggle = (view: View) => dispatch({ type: 'view', view: current().view.kind === view.kind ? MAIN_VIEW : view });

  const run = (command: Command) => {
    const state = store.getState();
    const ui = current();
    const symbol = selectedSymbol();
    const { view } = ui;
    // A key the screen shown has no use for (the panes' keys on a view) says where it works.
    const screens = screensOf(command);
    if (screens && !screens.includes(view.kind)) {
      return act(() => store.note('info', `${keysFor(command)} works on the ${screens.includes('main') ? 'main' : screens[0]} screen${view.kind === 'main' ? '' : ': Esc goes back'}`));
    }
    switch (command) {
      case 'up':
      case 'down':
        if (view.kind === 'activity') return dispatch({ type: 'scroll', delta: command === 'up' ? 1 : -1 });
        return dispatch({ type: 'move', delta: command === 'up' ? -1 : 1, rows: rowCount(state, ui.focus) });
      case 'pageUp':
      case 'pageDown':
        return dispatch({ type: 'scroll', delta: (command === 'pageUp' ? 1 : -1) * pageLines() });
      case 'top':
      case 'bottom':
        return dispatch({ type: 'scrollTo', scroll: command === 'top' ? Number.MAX_SAFE_INTEGER : 0 });
      case 'filter':
        return dispatch({ type: 'nextFilter' });
      case 'nextRange':
        return dispatch({ type: 'nextRange' });
      case 'open':
        if (!symbol) return act(() => store.note('warn', NO_SYMBOL));
        return dispatch({ type: 'view', view: { kind: 'symbol', symbol, range: '1D' } });
      case 'back':
        return view.kind === 'main' ? undefined : dispatch({ type: 'view', view: MAIN_VIEW });
      case 'activity':
        return toggle(ACTIVITY_VIEW);
      case 'performance':
        return toggle({ kind: 'performance' });
      case 'search':
        if (view.kind === 'activity') return dispatch({ type: 'open', dialog: { kind: 'activitySearch', query: view.query } });
        return dispatch({ type: 'open', dialog: { kind: 'search' } });
      case 'alert':
        if (!symbol) return act(() => store.note('warn', NO_SYMBOL));
        return dispatch({ type: 'open', dialog: { kind: 'alert', symbol } });
      case 'nextPane':
        return dispatch({ type: 'nextPane' });
      case 'sort': {
        const pane = ui.focus;
        if (pane !== 'quotes' && pane !== 'positions') return act(() => store.note('info', 'o sorts the Quotes and Positions panes: Tab to one first'));
        return dispatch({ type: 'sort', pane, sort: nextSort(pane, ui.sort[pane]) });
      }
      case 'buy':
      case 'sell': {
        if (!symbol) return act(() => store.note('warn', NO_SYMBOL));
        // From the symbol view: a limit at the quote, for the qty that closes the position when one is held.
        const defaults = view.kind === 'symbol' ? prefilledTicket(command, state.snapshot.quotes.find((q) => q.symbol === symbol), positions(state).find((p) => p.symbol === symbol), quickQty(symbol)) : undefined;
        return dispatch({ type: 'open', dialog: { kind: 'ticket', side: command, symbol, ...(defaults ? { defaults } : {}) } });
      }
      case 'quickBuy':
      case 'quickSell': {
        if (!symbol) return act(() => store.note('warn', NO_SYMBOL));
        const request: OrderRequest = { symbol, side: (command === 'quickBuy' ? 'buy' : 'sell') as Side, qty: quickQty(symbol), type: 'market' };
        if (confirmOrders) return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'place', request, message: `Place a market ${request.side} of ${request.qty} ${symbol}?` } });
        return void place(request);
      }
      case 'replaceOrder': {
        const order = selectedOrder();
        if (!order) return act(() => store.note('warn', noOrderSelected('replace')));
        const side = order.side as Side;
        return dispatch({ type: 'open', dialog: { kind: 'ticket', side, symbol: order.symbol, replacing: { id: order.id, fields: ticketFieldsOf(order) } } });
      }
      case 'cancelOrder': {
        const order = selectedOrder();
        if (!order) return act(() => store.note('warn', noOrderSelected('cancel')));
        return act(() => {
          const result = engine.cancelOrder(order.id);
          store.note(result.ok ? 'info' : 'warn', result.ok ? `canceled ${order.id}` : result.error);
        });
      }
      case 'cancelAll': {
        const count = liveWorkingCount(engine);
        if (count === 0) return act(() => store.note('info', 'no working orders'));
        return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'cancelAll', message: `Cancel all ${count} working order${count === 1 ? '' : 's'}?` } });
      }
      case 'killSwitch': {
        if (engine.risk().killSwitch) return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'releaseKillSwitch', message: 'Release the kill switch, and take orders again?' } });
        const count = liveWorkingCount(engine);
        const message = `Kill switch: cancel ${count === 0 ? 'no open orders' : `all ${count} open order${count === 1 ? '' : 's'}`}, stop the strategy, and refuse orders that open positions?`;
        return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'killSwitch', message } });
      }
      case 'strategy':
        return dispatch({ type: 'open', dialog: { kind: 'strategy' } });
      case 'addSymbol':
        return dispatch({ type: 'open', dialog: { kind: 'addSymbol' } });
      case 'removeSymbol': {
        const removed = watchlistRows(state, ui.sort.quotes)[ui.selected.quotes]?.symbol;
        if (!removed) return;
        return act(() => tryCommand(store, () => engine.removeSymbol(removed), `removed ${removed}`));
      }
      case 'help':
        return dispatch({ type: 'open', dialog: { kind: 'help' } });
      case 'quit': {
        // A saved account keeps its working orders for the next run: nothing to lose by quitting.
        const snapshot = engine.snapshot({ recent: 0, equityPoints: 1 });
        const working = snapshot.account === undefined ? workingCount(snapshot) : 0;
        if (working === 0) return onQuit();
        const message = `${working} order${working === 1 ? ' is' : 's are'} working and will be lost: this run keeps its books in memory only (no --account). Quit?`;
        return dispatch({ type: 'open', dialog: { kind: 'confirm', action: 'quit', message } });
      }
    }
  };

  return { run, place };
}

const workingCount = (snapshot: EngineSnapshot): number => snapshot.orders.filter(isWorking).length;

/** Asked of the engine itself: the screen may be a frame behind an order just placed. */
const liveWorkingCount = (engine: Engine): number => workingCount(engine.snapshot({ recent: 0, equityPoints: 1 }));

/** Runs an engine command; its EngineInputError becomes a log line instead of a crash. */
export function tryCommand(store: UiStore, command: () => unknown, done: string): void {
  const refusal = attempt(store, command, done);
  if (refusal !== undefined) store.note('warn', refusal);
}

/** Runs an engine command, saying `done` when it did; returns its EngineInputError's message (for the dialog that asked to show), else nothing. */
export function attempt(store: UiStore, command: () => unknown, done: string): string | undefined {
  try {
    command();
    store.note('info', done);
    return undefined;
  } catch (error) {
    if (!(error instanceof EngineInputError)) throw error;
    return error.message;
  }
}
