// The UI's own state (focus, selection, the open dialog) as a pure reducer, apart from the engine's.
import { CANDLE_RANGES, type CandleRange, type OrderRequest, type Side } from '../engine/index.ts';
import type { TicketFields } from './dialogs/order-ticket-state.ts';
import { ACTIVITY_FILTERS, type ActivityFilter } from './views/activity-entries.ts';
import { PANE_ORDER, type PaneId } from './layout.ts';
import type { PaneSorts, SortablePane, SortState } from './sorting.ts';

export type Dialog =
  /** replacing: the working order the ticket replaces, its fields filled in; defaults: a new order's fields filled in (from the symbol view). */
  | { kind: 'ticket'; side: Side; symbol: string; replacing?: { id: string; fields: TicketFields }; defaults?: Partial<TicketFields> }
  | { kind: 'alert'; symbol: string }
  | { kind: 'search' }
  | { kind: 'activitySearch'; query: string }
  | { kind: 'strategy' }
  | { kind: 'help' }
  | { kind: 'addSymbol' }
  | { kind: 'confirm'; action: 'quit' | 'cancelAll' | 'killSwitch' | 'releaseKillSwitch'; message: string }
  /** --confirm-orders: a quick order asks first. */
  | { kind: 'confirm'; action: 'place'; request: OrderRequest; message: string };

/** What fills the screen above the status bar: the panes, or one of the full-screen views. */
export type View =
  | { kind: 'main' }
  | { kind: 'symbol'; symbol: string; range: CandleRange }
  /** scroll: lines up from the newest (0 follows the tail). */
  | { kind: 'activity'; query: string; filter: ActivityFilter; scroll: number }
  | { kind: 'performance' };

export const MAIN_VIEW: View = { kind: 'main' };

export interface AppState {
  view: View;
  focus: PaneId;
  /** Selected row per pane; kept in range by `clamp` as rows come and go. */
  selected: Record<PaneId, number>;
  dialog: Dialog | undefined;
  /** Counts dialogs opened, so each opening mounts a fresh dialog (no state left from the last). */
  opened: number;
  /** The column each sortable pane is sorted by, if any. */
  sort: PaneSorts;
}

export type AppAction =
  | { type: 'move'; delta: number; rows: number }
  | { type: 'nextPane' }
  | { type: 'open'; dialog: Dialog }
  | { type: 'close' }
  | { type: 'clamp'; rows: Record<PaneId, number> }
  | { type: 'view'; view: View }
  /** The symbol view's next chart range. */
  | { type: 'nextRange' }
  /** The activity view: scrolled by lines (up is positive), or to the oldest (Infinity) or newest (0) line. */
  | { type: 'scroll'; delta: number }
  | { type: 'scrollTo'; scroll: number }
  | { type: 'nextFilter' }
  | { type: 'search'; query: string }
  | { type: 'sort'; pane: SortablePane; sort: SortState | undefined }
  /** A click: that pane focused, and its row selected (when the click was on one). */
  | { type: 'focus'; pane: PaneId; row?: number };

export const initialAppState: AppState = {
  view: MAIN_VIEW,
  focus: 'quotes',
  selected: { quotes: 0, positions: 0, orders: 0, chart: -1, log: -1 },
  dialog: undefined,
  opened: 0,
  sort: {},
};

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'move': {
      const current = state.selected[state.focus];
      if (current < 0 || action.rows === 0) return state;
      const next = Math.min(action.rows - 1, Math.max(0, current + action.delta));
      return next === current ? state : { ...state, selected: { ...state.selected, [state.focus]: next } };
    }
    case 'nextPane':
      return { ...state, focus: PANE_ORDER[(PANE_ORDER.indexOf(state.focus) + 1) % PANE_ORDER.length]! };
    case 'open':
      return { ...state, dialog: action.dialog, opened: state.opened + 1 };
    case 'close':
      return state.dialog ? { ...state, dialog: undefined } : state;
    case 'clamp': {
      let changed = false;
      const selected = { ...state.selected };
      for (const pane of ['quotes', 'positions', 'orders'] as const) {
        const bound = Math.max(0, action.rows[pane] - 1);
        if (selected[pane] > bound) {
          selected[pane] = bound;
          changed = true;
        }
      }
      return changed ? { ...state, selected } : state;
    }
    case 'view':
      return { ...state, view: action.view };
    case 'nextRange':
      return state.view.kind === 'symbol' ? { ...state, view: { ...state.view, range: cycle(CANDLE_RANGES, state.view.range) } } : state;
    case 'scroll':
      return state.view.kind === 'activity' ? { ...state, view: { ...state.view, scroll: Math.max(0, state.view.scroll + action.delta) } } : state;
    case 'scrollTo':
      return state.view.kind === 'activity' ? { ...state, view: { ...state.view, scroll: Math.max(0, action.scroll) } } : state;
    case 'nextFilter':
      return state.view.kind === 'activity' ? { ...state, view: { ...state.view, filter: cycle(ACTIVITY_FILTERS, state.view.filter), scroll: 0 } } : state;
    case 'search':
      return state.view.kind === 'activity' ? { ...state, view: { ...state.view, query: action.query, scroll: 0 } } : state;
    case 'sort':
      // The selection stays on the same row number: the trader sees the new order under it.
      return { ...state, sort: { ...state.sort, [action.pane]: action.sort } };
    case 'focus': {
      const selected = action.row === undefined || state.selected[action.pane] < 0 ? state.selected : { ...state.selected, [action.pane]: action.row };
      return state.focus === action.pane && selected === state.selected ? state : { ...state, focus: action.pane, selected };
    }
  }
}

const cycle = <T,>(choices: readonly T[], current: T): T => choices[(choices.indexOf(current) + 1) % choices.length]!;
